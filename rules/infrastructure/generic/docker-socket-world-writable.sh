#!/bin/sh
# entrypoint: let the app user reach the host's Docker
# ruleid: docker-socket-world-writable
chmod 666 /var/run/docker.sock
# ruleid: docker-socket-world-writable
sudo chmod -R 777 /var/run/docker.sock
# ruleid: docker-socket-world-writable
chmod a+rw /run/docker.sock && exec "$@"
# ruleid: docker-socket-world-writable
chmod u+rw,o+w "${ROOTFS}/var/run/docker.sock"
# ok: docker-socket-world-writable
chown root:docker /var/run/docker.sock
# ok: docker-socket-world-writable
chmod 660 /var/run/docker.sock
# ok: docker-socket-world-writable
chmod g+rw /var/run/docker.sock
# ok: docker-socket-world-writable
chmod o-rwx /var/run/docker.sock
# ok: docker-socket-world-writable
chmod +x /usr/local/bin/docker-entrypoint.sh
# ok: docker-socket-world-writable
chmod 666 /var/run/app.sock
# ok: docker-socket-world-writable
echo "Permission denied? Try: sudo chmod 666 /var/run/docker.sock"
# ok: docker-socket-world-writable
# if it still fails: sudo chmod 666 /var/run/docker.sock

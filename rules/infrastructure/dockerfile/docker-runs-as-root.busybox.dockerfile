# A network server on a plain base image, no USER anywhere.
# ruleid: docker-runs-as-root
FROM busybox:1.36
COPY httpserver /httpserver
EXPOSE 80/tcp
CMD ["/httpserver"]

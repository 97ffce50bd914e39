FROM alpine:3.20
ONBUILD RUN apk add curl
ONBUILD COPY . /app
SHELL ["/bin/ash", "-o", "pipefail", "-c"]
ADD https://example.com/x.tar.gz /tmp/
ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://example.com/y /y
RUN wget -qO- https://example.com/a.tgz | tar xz && echo "abc  a.tgz" | sha256sum -c -
USER root

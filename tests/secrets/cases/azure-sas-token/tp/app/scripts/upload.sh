#!/bin/sh
curl -X PUT -H "x-ms-blob-type: BlockBlob" -T build.tgz \
  "https://acmeartifacts.blob.core.windows.net/builds/build.tgz?sv=2022-11-02&ss=b&srt=co&sp=rwac&se=2027-01-01T00:00:00Z&st=2026-11-01T00:00:00Z&spr=https&sig=h5VsvAfSW8rKPlIavZESYW29WP6xrdRASpe2YspRGio%3D"

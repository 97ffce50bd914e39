#!/bin/sh
docker login registry.gitlab.acme.test -u deployer -p gldt-aDelJmuxEQrVhqSyO42R

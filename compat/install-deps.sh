#!/usr/bin/env bash
# Installs the third-party SOAP client stacks used by the compatibility matrix (npm run test:compat).
# Debian 12 (bookworm) packages only; see ../shared/docs/compat.md. Run as root (or via sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
  php-cli php-soap \
  python3 python3-zeep python3-suds \
  ruby ruby-soap4r \
  libsoap-lite-perl libsoap-wsdl-perl \
  gsoap libgsoap-dev g++ pkg-config libssl-dev \
  default-jdk-headless jaxws libjaxws-java libsaaj-ri-java libwsdl4j-java \
  libaxis-java \
  mono-devel libmono-system-web-services4.0-cil

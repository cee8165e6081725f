#!/usr/bin/env bash
# Installs what the PHP SoapClient tests need (php-import.test.ts and the other PHP tests): Debian's
# php-cli and php-soap. Does nothing when php with ext-soap is already there. Called by .ci/run.
set -euo pipefail
if command -v php >/dev/null 2>&1 && php -r 'exit(extension_loaded("soap") ? 0 : 1);'; then
  echo "php $(php -r 'echo PHP_VERSION;') with ext-soap is installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends php-cli php-soap
php -r 'exit(extension_loaded("soap") ? 0 : 1);'
echo "installed php $(php -r 'echo PHP_VERSION;') with ext-soap"

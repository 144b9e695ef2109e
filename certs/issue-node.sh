#!/usr/bin/env bash
# Issues a node certificate from a CA made by make-ca.sh: P-256 key (mode 0600), serverAuth and clientAuth
# (every node is both a TLS server and a client of its peers), subject alternative names for DNS names and IPs.
#   certs/issue-node.sh CA_DIR OUT_DIR NAME [--dns NAME]... [--ip ADDRESS]... [--days N] [--renew]
# Writes OUT_DIR/NAME.key and OUT_DIR/NAME.pem and prints the certificate's SPKI SHA-256 pin. --renew keeps the
# existing key and issues a fresh certificate for it (the old one is kept as NAME.pem.old): the pin does not
# change, so peers need not do anything.
set -euo pipefail
ca="${1:?usage: issue-node.sh CA_DIR OUT_DIR NAME [--dns NAME]... [--ip ADDRESS]... [--days N] [--renew]}"
out="${2:?usage: issue-node.sh CA_DIR OUT_DIR NAME ...}"
name="${3:?usage: issue-node.sh CA_DIR OUT_DIR NAME ...}"
shift 3
days=825
renew=0
sans=()
while (($#)); do
  case "$1" in
    --dns) sans+=("DNS:${2:?--dns needs a name}"); shift 2 ;;
    --ip) sans+=("IP:${2:?--ip needs an address}"); shift 2 ;;
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --renew) renew=1; shift ;;
    *) echo "issue-node.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
if ((${#sans[@]} == 0)); then sans=("DNS:$name"); fi
[ -r "$ca/ca.key" ] && [ -r "$ca/ca.pem" ] || { echo "issue-node.sh: no CA in $ca (run make-ca.sh)" >&2; exit 66; }
if ((renew)); then
  [ -r "$out/$name.key" ] || { echo "issue-node.sh: --renew needs the existing key $out/$name.key" >&2; exit 66; }
elif [ -e "$out/$name.key" ]; then
  echo "issue-node.sh: $out/$name.key exists; refusing to overwrite it (--renew re-issues for the same key)" >&2
  exit 73
fi
mkdir -p "$out"
umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ((renew)); then
  [ -e "$out/$name.pem" ] && cp -p "$out/$name.pem" "$out/$name.pem.old"
else
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/$name.key" 2>/dev/null
fi
openssl req -new -key "$out/$name.key" -subj "/CN=$name" -out "$work/node.csr"
san_list="$(IFS=,; echo "${sans[*]}")"
cat > "$work/ext.cnf" <<CNF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$san_list
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
CNF
openssl x509 -req -in "$work/node.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial \
  -CAserial "$work/ca.srl" -days "$days" -sha256 -extfile "$work/ext.cnf" -out "$out/$name.pem" 2>/dev/null
chmod 644 "$out/$name.pem"
"$(dirname "$0")/spki-pin.sh" "$out/$name.pem"

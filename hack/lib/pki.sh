# Certificates for the local control plane and nodes, signed by one CA in $pki (sourced by the hack scripts).

# pki_ca: creates the CA in $pki unless it exists
pki_ca() {
  mkdir -p "$pki"
  [ -f "$pki/ca.crt" ] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=netplane-local-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
}

# pki_issue NAME SUBJECT [SAN]: $pki/NAME.{crt,key} signed by the CA; with a SAN it is also a serving certificate
pki_issue() {
  [ -f "$pki/$1.crt" ] && return
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$pki/$1.key" -out "$pki/$1.csr" 2>/dev/null
  printf '%s\n' "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=${3:+serverAuth,}clientAuth" ${3:+"subjectAltName=$3"} >"$pki/$1.ext"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
  rm "$pki/$1.csr" "$pki/$1.ext"
}

# pki_kubeconfig FILE SERVER NAME: a kubeconfig for https://SERVER with the client certificate NAME
pki_kubeconfig() {
  kubectl config --kubeconfig "$1" set-cluster netplane --server "https://$2" \
    --certificate-authority "$pki/ca.crt" --embed-certs >/dev/null
  kubectl config --kubeconfig "$1" set-credentials "$3" --client-certificate "$pki/$3.crt" \
    --client-key "$pki/$3.key" --embed-certs >/dev/null
  kubectl config --kubeconfig "$1" set-context netplane --cluster netplane --user "$3" >/dev/null
  kubectl config --kubeconfig "$1" use-context netplane >/dev/null
}

/**
 * msal-node v3 wants a certificate credential as `{ thumbprintSha256, privateKey, x5c }`
 * (NodeAuthOptions.clientCertificate; the SHA-1 `thumbprint` is deprecated). Operators
 * have one PEM file holding the certificate and its private key (MDE_CLIENT_CERTIFICATE_PATH);
 * this splits it. `x5c` (the public chain) lets Entra ID do subject-name/issuer
 * validation, so a renewed certificate with the same subject keeps working.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';

export interface CertificateCredential {
  /** SHA-256 thumbprint, hex, no separators. */
  thumbprintSha256: string;
  /** PKCS#8 PEM. */
  privateKey: string;
  /** The certificate(s) as PEM, leaf first: msal parses them into the x5c header. */
  x5c: string;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK =
  /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

export class CertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

export function certificateCredential(pem: string): CertificateCredential {
  const certs = pem.match(CERT_BLOCK) ?? [];
  const keyBlock = pem.match(KEY_BLOCK)?.[0];
  // Messages name what is missing, never echo the file's content.
  if (!certs.length) throw new CertificateError('the PEM holds no CERTIFICATE block');
  if (!keyBlock) throw new CertificateError('the PEM holds no PRIVATE KEY block');
  let leaf: X509Certificate;
  let privateKey: string;
  try {
    leaf = new X509Certificate(certs[0]!);
  } catch {
    throw new CertificateError('the CERTIFICATE block cannot be parsed');
  }
  try {
    const key = createPrivateKey(keyBlock);
    if (!leaf.checkPrivateKey(key))
      throw new CertificateError('the private key does not belong to the certificate');
    privateKey = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (e) {
    if (e instanceof CertificateError) throw e;
    throw new CertificateError('the PRIVATE KEY block cannot be parsed (encrypted keys are not supported)');
  }
  return {
    thumbprintSha256: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
    privateKey,
    x5c: certs.join('\n'),
  };
}

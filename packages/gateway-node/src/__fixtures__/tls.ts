/**
 * A self-signed certificate for localhost / 127.0.0.1, valid for 100 years. Test use only:
 * generated with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes
 * -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1`.
 */
export const key = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWpu4+93QjFSK7tRW
lj1gzJRFJZlfhjY25oGE63nbmw2hRANCAAT7EHfy9sRt6O/5HAIMyEF4VahVgkmx
CXJkKieVkNPsAur0MpkBwY+LCscCRAUSfvxACixoXi3/R4m4qBsnwWSM
-----END PRIVATE KEY-----
`

export const cert = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUE3GDjCNZsXyT6fCXqfkyxMNquzswCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNTIyMTY0NloYDzIxMjYxMTAx
MjIxNjQ2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT7EHfy9sRt6O/5HAIMyEF4VahVgkmxCXJkKieVkNPsAur0MpkBwY+L
CscCRAUSfvxACixoXi3/R4m4qBsnwWSMo28wbTAdBgNVHQ4EFgQUcZ09SgrnLr5M
vS49crOu0BTNUFYwHwYDVR0jBBgwFoAUcZ09SgrnLr5MvS49crOu0BTNUFYwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDRwAwRAIgWLSl2S8IVw4L+eNloMYd6xlikkNiZM0+r8Yg9ZirQ8ECIHGW
6qqDSce7s1hwXKd0fSUOKwN1Wt9an9vqjdEjKdgc
-----END CERTIFICATE-----
`

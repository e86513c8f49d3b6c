declare module 'tls-sig-api-v2/TLSSigAPIv2.js' {
  const TLSSigAPIv2: {
    Api: new (sdkappid: number, key: string) => { genSig(userid: string, expire: number): string; genUserSig(userid: string, expire: number): string }
  }
  export default TLSSigAPIv2
}

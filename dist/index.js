import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);
import{c as t}from"./chunk-3IQVGQWW.js";import{c as e,e as o}from"./chunk-KC3LBFX3.js";import"./chunk-UIYDIFMU.js";import"./chunk-SPLPXYLV.js";try{await t(o)}catch(r){e(`Unexpected error while reporting: ${r instanceof Error?r.message:String(r)}`)}

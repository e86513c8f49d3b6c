import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);
import{a as t,e as n,f as i}from"./chunk-6GHLKLOY.js";import{c as o,e}from"./chunk-J7T2UZ3I.js";import"./chunk-MK6AUFLD.js";import"./chunk-SPLPXYLV.js";var a=t.listen();try{await i(e,process.env,a)}catch(r){o(n(`Unexpected error while reporting: ${r instanceof Error?r.message:String(r)}`))}

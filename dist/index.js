import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);
import{a as t,d as n}from"./chunk-CCSBGP7B.js";import{c as e,e as o}from"./chunk-KC3LBFX3.js";import"./chunk-UUEDA7IJ.js";import"./chunk-SPLPXYLV.js";var i=t.listen();try{await n(o,process.env,i)}catch(r){e(`Unexpected error while reporting: ${r instanceof Error?r.message:String(r)}`)}

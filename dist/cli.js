#!/usr/bin/env node
import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);
import{a as I,b as R,c as j,d as L,f as _}from"./chunk-E624GXGN.js";import{a as P}from"./chunk-J7T2UZ3I.js";import{a as l}from"./chunk-MK6AUFLD.js";import"./chunk-SPLPXYLV.js";import g from"node:path";import{parseArgs as Y}from"node:util";var u={sdkappid:"TENCENT_CHAT_SDKAPPID",secretKey:"TENCENT_CHAT_SECRET_KEY",usersig:"TENCENT_CHAT_USERSIG",identifier:"TENCENT_CHAT_IDENTIFIER",region:"TENCENT_CHAT_REGION",endpoint:"TENCENT_CHAT_ENDPOINT"},f="create-chat-robots",S=`The app's credentials come from the environment only, never from a flag:
  ${u.sdkappid}      the app's SDKAppID
  ${u.secretKey}    its secret key (a UserSig is signed from it)
  ${u.usersig}        or a ready UserSig instead
  ${u.identifier}     the admin account (default administrator)
  ${u.region}         the data centre (default china), or --region
  ${u.endpoint}       a base URL instead of the region, or --endpoint
HTTPS_PROXY and NO_PROXY are honoured.`,k=`  --region REGION        china, singapore, seoul, tokyo, frankfurt, mumbai, silicon-valley or jakarta
  --endpoint URL         a base URL that overrides the region (https://; http:// for loopback only)
  --max-attempts N       attempts per call for transient failures, 1 to 10 (default 5)`,$=`  --json                 print the results JSON (the action's results output) instead of the table
  --verbose              print the whole log, debug lines included
  -h, --help             this help`,N={main:`Usage: ${f} <command> [options]

Makes the chatbot accounts of a Tencent Cloud Chat app match a robots.yaml manifest:
the same validator, planner and reports as the GitHub Action.

Commands:
  validate [MANIFEST...]   check manifests offline, as FILE:LINE:COL: error: message
  plan                     compare the manifest with the app; write nothing
  apply                    make the app match the manifest
  export [PATH]            write the app's robots as a manifest (default robots.yaml)

Run '${f} <command> --help' for a command's options.
Exit status: 0 success, 1 problems, failures or drift (plan --expect-no-changes), 2 usage errors.`,validate:`Usage: ${f} validate [MANIFEST...] [options]

Checks each manifest (default robots.yaml) offline, with no call and no credentials: every
problem is printed as FILE:LINE:COL: error: message (warnings likewise). Exit status 1 when
any manifest has an error.

Options:
  --manifest FILE        the manifest, as an alternative to the argument
${$}`,plan:`Usage: ${f} plan [options]

Reads the app's robots and profiles and shows what an apply would do: create, update, delete
(with --prune, and robots under retired:) or unchanged. Writes nothing.

Options:
  --manifest FILE        the manifest (default robots.yaml)
  --prune                plan deletions of robots the manifest does not list
  --expect-no-changes    a drift check: exit status 1 when the plan has any create, update or delete
${k}
${$}

${S}`,apply:`Usage: ${f} apply [options]

Makes the app match the manifest: the plan first, then only the writes it needs.

Options:
  --manifest FILE        the manifest (default robots.yaml)
  --prune                delete robots the manifest does not list (the vendor keeps their UserIDs reserved)
${k}
${$}

${S}`,export:`Usage: ${f} export [PATH] [options]

Writes every robot the app has to PATH (default robots.yaml, inside the current directory),
sorted by UserID, with the profile fields that are set, and plans it against the app: nothing
to change. Only reads the app.

Options:
${k}
${$}

${S}`},B={manifest:{type:"string"},region:{type:"string"},endpoint:{type:"string"},prune:{type:"boolean"},"expect-no-changes":{type:"boolean"},"max-attempts":{type:"string"},json:{type:"boolean"},verbose:{type:"boolean"},help:{type:"boolean",short:"h"}},U={validate:["manifest","json","verbose","help"],plan:["manifest","region","endpoint","prune","expect-no-changes","max-attempts","json","verbose","help"],apply:["manifest","region","endpoint","prune","max-attempts","json","verbose","help"],export:["region","endpoint","max-attempts","json","verbose","help"]},D=Object.keys(U);function H(n){let[e,...r]=n;if(e===void 0||e==="--help"||e==="-h"||e==="help")return r.length>0&&e==="help"&&F(r[0])?{kind:"help",text:N[r[0]]}:{kind:"help",text:N.main};if(!F(e))return m(`unknown command ${JSON.stringify(e)}: use ${D.join(", ")}.`,"main");let t,o;try{({values:t,positionals:o}=Y({args:r,options:B,allowPositionals:!0,strict:!0}))}catch(i){return m(`${e}: ${i instanceof Error?i.message.replace(/\. To specify a positional argument.*$/s,"."):String(i)}`,e)}if(t.help)return{kind:"help",text:N[e]};let a=Object.keys(t).find(i=>!U[e].includes(i));if(a)return m(`${e} does not take --${a}.`,e);let s=typeof t.manifest=="string"?t.manifest:null,p={name:e,manifests:[],exportPath:null,region:typeof t.region=="string"?t.region:null,endpoint:typeof t.endpoint=="string"?t.endpoint:null,prune:t.prune===!0,expectNoChanges:t["expect-no-changes"]===!0,maxAttempts:typeof t["max-attempts"]=="string"?t["max-attempts"]:null,json:t.json===!0,verbose:t.verbose===!0};if(e==="validate"){if(s!==null&&o.length>0)return m("validate takes the manifest as an argument or as --manifest, not both.",e);if(p.manifests=s!==null?[s]:o.length>0?o:["robots.yaml"],p.json&&p.manifests.length>1)return m("--json prints the results of one manifest: validate one at a time.",e)}else if(e==="export"){if(o.length>1)return m(`export takes one PATH, got ${o.length}.`,e);p.exportPath=o[0]??"robots.yaml"}else{if(o.length>0)return m(`${e} takes no arguments (got ${JSON.stringify(o[0])}); give the manifest with --manifest.`,e);p.manifests=[s??"robots.yaml"]}for(let[i,d]of[["manifest",s],["region",p.region],["endpoint",p.endpoint],["max-attempts",p.maxAttempts]])if(d!==null&&d.trim()==="")return m(`--${i} is empty.`,e);return{kind:"command",command:p}}function F(n){return D.includes(n)}function m(n,e){return{kind:"usage-error",message:`${n}
Run '${f} ${e==="main"?"":`${e} `}--help' for usage.`}}function y(n){let e={[l.manifest]:"MANIFEST",[l.export]:"PATH",[l.region]:`--region (or ${u.region})`,[l.endpoint]:`--endpoint (or ${u.endpoint})`,[l.maxAttempts]:"--max-attempts",[l.sdkappid]:u.sdkappid,[l.secretKey]:u.secretKey,[l.usersig]:u.usersig,[l.identifier]:u.identifier,[l.prune]:"--prune",[l.expectNoChanges]:"--expect-no-changes"},r=t=>e[t]??t;return n.replace(/\bInputs ([\w-]+) and ([\w-]+)\b/g,(t,o,a)=>`${r(o)} and ${r(a)}`).replace(/\bInput ([\w-]+)\b/g,(t,o)=>r(o))}import T from"node:path";var X=P.constructor,A=class extends X{text="";async write(e){return this.text=e?.overwrite?this.stringify():this.text+this.stringify(),this.emptyBuffer()}},C=class{constructor(e,r){this.terminal=e;this.options=r}terminal;options;summary=new A;maxAnnotations=1/0;outputs={};failure=null;diagnostics={errors:0,warnings:0};getInput=(e,r)=>{let t=Object.hasOwn(this.options.inputs,e)?this.options.inputs[e]:"";if(r?.required&&!t)throw new Error(`Input required and not supplied: ${e}`);return r?.trimWhitespace===!1?t:t.trim()};setSecret=e=>this.terminal.mask(e);setOutput=(e,r)=>{this.outputs[e]=typeof r=="string"?r:r==null?"":JSON.stringify(r)};setFailed=e=>{let r=e instanceof Error?e.message:e;this.failure=this.failure?`${this.failure} ${r}`:r};isDebug=()=>this.options.debug;debug=e=>{this.options.debug&&this.terminal.err(this.terminal.paint("err","dim",this.terminal.clean(`debug: ${e}`)))};info=e=>{this.options.log&&this.terminal.err(this.terminal.clean(e))};notice=(e,r={})=>{this.options.notices&&this.diagnostic("note",e,r)};warning=(e,r={})=>{this.diagnostics.warnings++,this.diagnostic("warning",e,r)};error=(e,r={})=>{this.diagnostics.errors++,this.diagnostic("error",e,r)};startGroup=e=>this.info(e);endGroup=()=>{};get summaryText(){return this.summary.text}diagnostic(e,r,t){let o=y(r instanceof Error?r.message:r),a=t.file?[this.fromCwd(t.file),t.startLine,t.startLine?t.startColumn??1:void 0].filter(i=>i!==void 0).join(":")+": ":"",s=e==="error"?"red":e==="warning"?"yellow":"cyan",p=this.terminal.paint("err",s,`${e}:`);this.terminal.err(`${this.terminal.clean(a)}${p} ${this.terminal.clean(o)}`)}fromCwd(e){let r=T.relative(this.options.cwd,T.resolve(this.options.workspace,e));return r?r.split(T.sep).join("/"):e}};var q=/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g,V=/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g,G=n=>n===`
`?"\\n":n==="	"?"\\t":`\\u${n.charCodeAt(0).toString(16).padStart(4,"0")}`;function z(n){return n.replace(q,G)}function Q(n){return n.replace(V,G)}function K(n){return n.split(`
`).map(L).join(`
`)}var Z={red:[31,39],yellow:[33,39],green:[32,39],cyan:[36,39],bold:[1,22],dim:[2,22]};function O(n,e){return e.FORCE_COLOR!==void 0?["","1","true","2","3"].includes(e.FORCE_COLOR):n.isTTY===!0&&!e.NO_COLOR&&e.TERM!=="dumb"}var w=class{constructor(e,r,t){this.stdout=e;this.stderr=r;this.colour=t}stdout;stderr;colour;secrets=new Set;mask(e){e&&this.secrets.add(e)}redact(e){let r=e;for(let t of[...this.secrets].sort((o,a)=>a.length-o.length))r=r.split(t).join("***");return r}clean(e){return z(this.redact(e))}paint(e,r,t){if(!this.colour[e])return t;let[o,a]=Z[r];return`\x1B[${o}m${t}\x1B[${a}m`}out(e){this.stdout.write(`${K(e)}
`)}err(e){this.stderr.write(`${K(e)}
`)}};function x(n){let e=0;for(let r of n){let t=r.codePointAt(0)??0;if(t>=768&&t<=879||t===8205||t>=65024&&t<=65039)continue;let o=t>=4352&&t<=4447||t>=11904&&t<=42191||t>=44032&&t<=55203||t>=63744&&t<=64255||t>=65072&&t<=65103||t>=65280&&t<=65376||t>=65504&&t<=65510||t>=127744&&t<=129791||t>=131072&&t<=262141||t>=9728&&t<=10175;e+=o?2:1}return e}function ee(n,e){if(x(n)<=e)return n;let r="";for(let t of n){if(x(r+t)>e-1)break;r+=t}return`${r}\u2026`}function J(n,e,r){let t=r.map(i=>i.map((d,c)=>ee(Q(n.redact(d)),e[c].max??200))),o=e.map((i,d)=>Math.max(x(i.title),...t.map(c=>x(c[d])))),a=(i,d)=>d===e.length-1?i:i+" ".repeat(o[d]-x(i)),s=e.map((i,d)=>n.paint("out","bold",a(i.title,d))).join("  "),p=t.map(i=>i.map((d,c)=>{let b=e[c].style?.(d);return b?n.paint("out",b,a(d,c)):a(d,c)}).join("  ").trimEnd());return[s.trimEnd(),...p]}var E={ok:0,failed:1,usage:2};async function M(n,e,r){let t=new w(r.stdout,r.stderr,{out:O(r.stdout,e),err:O(r.stderr,e)});for(let i of[u.secretKey,u.usersig])t.mask(e[i]??"");let o=i=>(t.err(`create-chat-robots: ${t.paint("err","red","error:")} ${t.clean(i)}`),E.usage),a=H(n);if(a.kind==="help")return t.out(a.text),E.ok;if(a.kind==="usage-error")return o(a.message);let s=a.command;if(s.name!=="validate"&&(!e[u.sdkappid]||!e[u.secretKey]&&!e[u.usersig]))return o(`${s.name} reads the app, so it needs the app's credentials in the environment: set ${u.sdkappid} and ${u.secretKey} (or ${u.usersig}). They are never taken from a flag.`);let p=E.ok;for(let i of s.name==="export"?["robots.yaml"]:s.manifests){if(r.cancellation?.stop.aborted)break;let{workspace:d,manifestPath:c}=te(r.cwd,i),b={...e,GITHUB_WORKSPACE:d},h=new C(t,{inputs:ne(s,e,c),workspace:d,cwd:r.cwd,log:s.verbose||s.name!=="validate",debug:s.verbose,notices:s.verbose});try{j(h,b)}catch(v){if(v instanceof R)return o(y(v.message));throw v}await _(h,b,r.cancellation??null),s.json?t.out(re(t.redact(h.outputs.results??"[]"))):s.name==="validate"?ie(t,h,i):se(t,h,s),h.failure!==null&&(p=E.failed)}return p}function te(n,e){let r=g.resolve(n,e),t=g.relative(n,r);return t!==""&&t!==".."&&!t.startsWith(`..${g.sep}`)&&!g.isAbsolute(t)?{workspace:n,manifestPath:t.split(g.sep).join("/")}:{workspace:g.dirname(r),manifestPath:g.basename(r)}}function ne(n,e,r){let t=n.name==="validate",o=a=>t?"":e[a]??"";return{[l.manifest]:r,[l.sdkappid]:o(u.sdkappid),[l.secretKey]:o(u.secretKey),[l.usersig]:o(u.usersig),[l.identifier]:o(u.identifier),[l.region]:n.region??o(u.region),[l.endpoint]:n.endpoint??(n.region!==null?"":o(u.endpoint)),[l.dryRun]:String(n.name!=="apply"),[l.maxAttempts]:n.maxAttempts??"",[l.prune]:String(n.prune),[l.comment]:"false",[l.githubToken]:"",[l.expectNoChanges]:String(n.expectNoChanges),[l.export]:n.exportPath??""}}function re(n){return n.replace(/[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g,e=>`\\u${e.charCodeAt(0).toString(16).padStart(4,"0")}`)}function W(n){try{let e=JSON.parse(n.outputs.results??"[]");return Array.isArray(e)?e:[]}catch{return[]}}var oe={ok:"green",failed:"red",skipped:"yellow",invalid:"red"};function se(n,e,r){let t=W(e).map(s=>[s.UserID??"(no UserID)",s.action,s.status,s.changes?.length?s.changes.map(p=>`${p.field}: ${p.from===null?"(not set)":JSON.stringify(p.from)} \u2192 ${JSON.stringify(p.to)}`).join(", "):s.status==="ok"?"":`${s.ErrorCode!==null&&s.ErrorCode!==0?`${s.ErrorCode} `:""}${s.ErrorInfo}`]);if(t.length>0){n.out("");for(let s of J(n,[{title:"UserID",max:40},{title:"Action"},{title:"Result",style:p=>oe[p]??null},{title:"Detail",max:120}],t))n.out(s);n.out("")}let o=e.outputs.changes??"",a=(s,p)=>`${s} ${p}${s===1?"":"s"}`;e.failure!==null?n.err(`${n.paint("err","red","error:")} ${n.clean(y(e.failure))}`):r.name==="apply"?n.out(n.paint("out","green",`Applied: ${a(Number(o),"writing call")} made.`)):r.name==="export"?n.out(n.paint("out","green",`Exported ${a(t.length,"robot")} to ${n.clean(r.exportPath??"")}; planned against the app: no changes.`)):o==="0"?n.out(n.paint("out","green","No changes: the app matches the manifest.")):o!==""&&n.out(`Plan: ${a(Number(o),"change")} to make; nothing written. Run apply to make them.`)}function ie(n,e,r){let{errors:t,warnings:o}=e.diagnostics;e.failure!==null&&t===0&&n.err(`${n.paint("err","red","error:")} ${n.clean(y(e.failure))}`);let a=W(e),s=a.filter(c=>c.retired).length,p=a.length-s,i=[t&&`${t} error${t===1?"":"s"}`,o&&`${o} warning${o===1?"":"s"}`].filter(Boolean).join(", "),d=e.failure===null?`${r}: valid, ${p} robot${p===1?"":"s"}${s?`, ${s} retired`:""}${i?` (${i})`:""}.`:`${r}: ${i||"not valid"}.`;n.out(n.paint("out",e.failure===null?"green":"red",n.clean(d)))}for(let n of[process.stdout,process.stderr])n.on("error",e=>{throw e.code==="EPIPE"&&process.exit(process.exitCode??0),e});var ae=I.listen();process.exitCode=await M(process.argv.slice(2),process.env,{stdout:process.stdout,stderr:process.stderr,cwd:process.cwd(),cancellation:ae});

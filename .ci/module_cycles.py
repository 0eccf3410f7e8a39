"""The xtask modules import one another without cycles: every `crate::` path and every use of a
child module by its parent, as a graph; exit 1 naming each cycle.

    python3 .ci/module_cycles.py [--verbose]
"""
import os
import re, glob, sys
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "xtask", "src"))
mods={}
for f in glob.glob('**/*.rs',recursive=True):
    m=f[:-3].replace('/mod','').replace('/','::')
    if m=='main': m='crate'
    s=open(f).read().split('#[cfg(test)]')[0]
    deps=set(re.findall(r'crate::([a-z_]+(?:::[a-z_]+)*)',s))
    # relative uses of child modules: `use name::` / `name::item(` where name is a child
    mods[m]=(deps,s)
names=set(mods)
def resolve(d):
    parts=d.split('::')
    for k in range(len(parts),0,-1):
        c='::'.join(parts[:k])
        if c in names: return c
g={}
for m,(ds,s) in mods.items():
    e={resolve(d) for d in ds}
    # child modules referenced by path in the parent's code (not in `pub mod` lines)
    for n in names:
        if m!='crate' and n.startswith(m+'::') and n.count('::')==m.count('::')+1:
            child=n.split('::')[-1]
            body=re.sub(r'pub mod \w+;|mod \w+;','',s)
            if re.search(r'\b'+child+r'::',body): e.add(n)
    g[m]=e-{None,m}
idx={};low={};st=[];on=set();out=[];c=[0]
def sc(v):
    idx[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
    for w in g[v]:
        if w not in idx: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],idx[w])
    if low[v]==idx[v]:
        comp=[]
        while True:
            w=st.pop();on.discard(w);comp.append(w)
            if w==v:break
        out.append(comp)
for v in g:
    if v not in idx: sc(v)
cyc=[x for x in out if len(x)>1]
print('cycles:',cyc)
if "--verbose" in sys.argv:
    for m in sorted(g): print(' ',m,'->',', '.join(sorted(g[m])))
sys.exit(1 if cyc else 0)

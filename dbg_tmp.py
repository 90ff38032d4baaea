import sys
from tests.parsing.layouts import *
truth=load_truth()
name=sys.argv[1]
page,order,wrap_,pun,mast,byl,shuf=name.split('#')[0].split('/')
L=Layout(page,order,wrap_,pun,mast,byl,shuf,int(name.split('#')[1]))
text,exp=render(truth[page],L)
open('/tmp/p/dbg.txt','w').write(text)
p=parse_page(text)
print("EXPECTED")
for w in exp: print(' ', w["column"],'|',w["kicker"],'|',w["title"],'|',w["subtitle"], w["credits"], len(body_text(w)))
print("GOT")
for a in p.articles: print(' ', a.position,a.kind,a.column,'|',a.kicker,'|',a.title,'|',a.subtitle,[(c.name,c.role) for c in a.credits],a.parent_position,len(body_text(a)), a.review_reasons)

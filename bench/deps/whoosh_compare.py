"""Raw Whoosh build/query speed on a synthetic corpus, same code for Whoosh 2.7.4 and whoosh3."""
import glob, re, random, time, tempfile, shutil, os, resource, sys
from pathlib import Path
import whoosh
from whoosh import index
from whoosh.fields import Schema, TEXT, ID, KEYWORD, DATETIME
from whoosh.analysis import Tokenizer, Token
from whoosh.qparser import QueryParser
from whoosh.highlight import highlight, ContextFragmenter, HtmlFormatter
import jieba
jieba.setLogLevel(60)

class JiebaTokenizer(Tokenizer):
    # jieba's own ChineseTokenizer, inlined so both Whoosh versions get the identical analyzer
    def __call__(self, text, **kargs):
        t = Token()
        for (w, start, stop) in jieba.tokenize(text, mode="search"):
            t.original = t.text = w; t.boost = 1.0; t.pos = start; t.startchar = start; t.endchar = stop
            yield t
paras = []
for f in sorted(glob.glob(str(Path(__file__).resolve().parents[2] / 'data' / 'samples' / '*.txt'))):
    for p in re.split(r'\n\s*\n', open(f, encoding='utf-8').read()):
        p = p.replace('\n', '').strip()
        if len(p) > 40: paras.append(p)
rnd = random.Random(7)
N = int(sys.argv[1])
docs = []
for i in range(N):
    body = ''
    while len(body) < 750: body += rnd.choice(paras)
    docs.append((str(i), body[:750], rnd.choice(['news', 'commentary', 'photo'])))
d = tempfile.mkdtemp()
schema = Schema(id=ID(stored=True, unique=True), kind=KEYWORD(stored=True), text=TEXT(stored=True, analyzer=JiebaTokenizer()))
ix = index.create_in(d, schema)
t = time.perf_counter()
w = ix.writer()
for did, body, kind in docs: w.add_document(id=did, text=body, kind=kind)
w.commit()
build = time.perf_counter() - t
size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
qs = ['平湖', '生物医药', '党建强基', '湖', '高质量发展', '招商', '经济 开发区']
lat = []
for rep in range(3):
    for q in qs:
        t = time.perf_counter()
        with ix.searcher() as s:
            r = s.search(QueryParser('text', schema).parse(q), limit=10)
            n = len(r)
            for hit in r: hit.highlights('text')
        lat.append(time.perf_counter() - t)
lat.sort()
print(f'{whoosh.versionstring()}: N={N} build {build:.1f}s ({N/build:.0f} docs/s) size {size/1e6:.1f} MB '
      f'query p50 {lat[len(lat)//2]*1000:.0f} ms p95 {lat[int(len(lat)*0.95)]*1000:.0f} ms maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} MB')
shutil.rmtree(d)

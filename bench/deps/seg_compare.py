"""Compare jieba 0.42.1 and rjieba segmentation and speed on the sample pages."""
import glob, re, time
from pathlib import Path
import jieba, rjieba
jieba.setLogLevel(60)
SAMPLES = Path(__file__).resolve().parents[2] / 'data' / 'samples'
paras = []
for f in sorted(glob.glob(str(SAMPLES / '*.txt'))):
    text = open(f, encoding='utf-8').read()
    for p in re.split(r'\n\s*\n', text):
        p = p.replace('\n', '').strip()
        if p:
            paras.append(p)
print('paragraphs', len(paras), 'chars', sum(map(len, paras)))
jieba.initialize()
rjieba.cut('预热')
def cmp(name, fa, fb):
    diff = 0; tok_a = tok_b = 0; examples = []
    for p in paras:
        a = list(fa(p)); b = list(fb(p))
        tok_a += len(a); tok_b += len(b)
        if a != b:
            diff += 1
            if len(examples) < 3:
                # first differing window
                i = next(i for i in range(min(len(a), len(b))) if a[i] != b[i]) if any(x != y for x, y in zip(a, b)) else min(len(a), len(b))
                examples.append((a[max(0,i-2):i+4], b[max(0,i-2):i+4]))
    print(f'{name}: {diff}/{len(paras)} paragraphs differ; tokens jieba={tok_a} rjieba={tok_b}')
    for ex in examples: print('   jieba ', '/'.join(ex[0]), '\n   rjieba', '/'.join(ex[1]))
cmp('cut hmm=True', lambda p: jieba.cut(p, HMM=True), lambda p: rjieba.cut(p, hmm=True))
cmp('cut hmm=False', lambda p: jieba.cut(p, HMM=False), lambda p: rjieba.cut(p, hmm=False))
cmp('cut_for_search', lambda p: jieba.cut_for_search(p), lambda p: rjieba.cut_for_search(p))
# tokenize offsets (what a Whoosh tokenizer needs)
ja = [list(jieba.tokenize(p, mode='search')) for p in paras]
ra = [list(rjieba.tokenize(p, mode='search')) for p in paras]
same = sum(1 for a, b in zip(ja, ra) if [tuple(x) for x in a] == [tuple(x) for x in b])
print('tokenize(search) identical for', same, '/', len(paras), 'example', ja[0][:3], ra[0][:3])
corpus = paras * 20
total = sum(map(len, corpus))
for name, fn in [('jieba.cut', lambda p: list(jieba.cut(p))), ('rjieba.cut', lambda p: rjieba.cut(p)),
                 ('jieba.tokenize search', lambda p: list(jieba.tokenize(p, mode='search'))),
                 ('rjieba.tokenize search', lambda p: rjieba.tokenize(p, mode='search'))]:
    best = 1e9
    for _ in range(3):
        t = time.perf_counter()
        for p in corpus: fn(p)
        best = min(best, time.perf_counter() - t)
    print(f'{name}: {total/best/1e6:.2f} M chars/s ({best:.2f}s for {total} chars)')
# user words: rjieba has add_word but no load_userdict
s = '平湖的党建强基工程与独山港经济开发区，言成声评论金平湖'
print('before add_word', jieba.lcut(s), rjieba.cut(s))
for w in ['党建强基工程', '独山港经济开发区', '言成声']:
    jieba.add_word(w); rjieba.add_word(w, None, None)
print('after add_word ', jieba.lcut(s), rjieba.cut(s))
print('has load_userdict:', hasattr(rjieba, 'load_userdict'))

import sys
from pathlib import Path
from tests.relevance.real import prepare_corpus, load_real_judgments, WORKDIR
from indexer.index import store
from indexer.search import QueryService, SearchRequest
if __name__ == "__main__":
    corpus, names = prepare_corpus()
    needs = {n.query: n for n in load_real_judgments()}
    service = QueryService(corpus)
    s = store.open_index(store.current_generation(WORKDIR / "index"), "public").searcher()
    for q in sys.argv[1:]:
        rel = needs[q].relevant if q in needs else {}
        res = service.search(s, SearchRequest(q=q, per_page=10))
        print(f"== {q!r} total={res.total} notices={res.notices}")
        for h in res.hits:
            p = names.get(h.document.pdf or "", h.document.id)
            print(f"  {rel.get(p, '-')!s:2} {h.score:7.2f} {Path(p).name[:70]} {[x.page for x in h.pages][:4]}")
        for f in res.facets:
            if f.name == "article": print("  facet:", [(v.value, v.count) for v in f.values[:8]])

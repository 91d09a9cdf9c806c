from tests.relevance.real import prepare_corpus, WORKDIR
from indexer.index.build import build_index
if __name__ == "__main__":
    corpus, names = prepare_corpus()
    build_index(corpus, WORKDIR / "index")

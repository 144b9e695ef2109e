/// The reference side of `weft bench hash`: PyPI's pdqhash (which python-threatexchange uses) on the same RGB
/// pixels, and on the same JPEG files decoded with Pillow. Prints one JSON object per case.
let pdqhashReferenceScript = #"""
    import json, subprocess, sys, time

    try:
        import numpy, pdqhash
        from PIL import Image
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "numpy", "Pillow", "pdqhash"],
                              stdout=sys.stderr)
        import numpy, pdqhash
        from PIL import Image

    spec = json.load(open(sys.argv[1]))
    seconds = spec["seconds"]

    def to_hex(bits):
        return format(int("".join("1" if b else "0" for b in bits), 2), "064x")

    def measure(fn):
        result = fn()
        count, start = 0, time.perf_counter()
        while True:
            result = fn()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return count / elapsed, result

    rows = []
    for item in spec["inputs"]:
        if "jpeg" in item:
            path = item["jpeg"]
            fn = lambda: pdqhash.compute(numpy.asarray(Image.open(path).convert("RGB")))[0]
        else:
            pixels = numpy.fromfile(item["raw"], dtype=numpy.uint8).reshape(item["height"], item["width"], 3)
            fn = lambda: pdqhash.compute(pixels)[0]
        rate, bits = measure(fn)
        rows.append({"rate": rate, "hash": to_hex(bits)})
        print("pdqhash:", item.get("jpeg", item["raw"]), round(rate), "/s", file=sys.stderr)
    print(json.dumps(rows))
    """#

/// The reference side of `weft bench pdq-index`: faiss (faiss-cpu from PyPI) on the same 256-bit hashes, one
/// thread. Arguments: folder with stored.bin and queries.bin (32 bytes per hash), the largest distance, and how
/// many queries the flat (brute-force) index answers. Prints one JSON object with each engine's build time,
/// queries per second and sorted result ids per query.
let faissReferenceScript = #"""
    import json, subprocess, sys, time

    try:
        import faiss, numpy
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "numpy", "faiss-cpu"], stdout=sys.stderr)
        import faiss, numpy

    folder, max_distance, brute = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    faiss.omp_set_num_threads(1)
    stored = numpy.fromfile(folder + "/stored.bin", dtype=numpy.uint8).reshape(-1, 32)
    queries = numpy.fromfile(folder + "/queries.bin", dtype=numpy.uint8).reshape(-1, 32)

    def run(index, xq):
        start = time.perf_counter()
        index.add(stored)
        build = time.perf_counter() - start
        start = time.perf_counter()
        # faiss keeps results with distance < radius.
        lims, distances, ids = index.range_search(xq, max_distance + 1)
        elapsed = time.perf_counter() - start
        results = []
        for q in range(len(xq)):
            found = [int(i) for i, d in zip(ids[lims[q]:lims[q + 1]], distances[lims[q]:lims[q + 1]]) if d <= max_distance]
            results.append(sorted(found))
        print(type(index).__name__, "build", round(build, 2), "s,", round(len(xq) / elapsed), "queries/s", file=sys.stderr)
        return {"build": build, "rate": len(xq) / elapsed, "results": results}

    flat = run(faiss.IndexBinaryFlat(256), queries[:brute])
    multi = faiss.IndexBinaryMultiHash(256, 16, 16)
    multi.nflip = max_distance // 16
    multi_hash = run(multi, queries)
    print(json.dumps({"flat": flat, "multi_hash": multi_hash}))
    """#

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

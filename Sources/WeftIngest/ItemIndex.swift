import Foundation
import WeftCore
import WeftHashing

/// Every shareable item a platform's posts contain, with the accounts that posted it: the basis of the
/// prevalence buckets. Texts and pictures count near copies too (MinHash ≥ 0.7, PDQ within 31), so a meme
/// reposted in a hundred slightly different copies is known to be widespread, not exclusive.
struct ItemIndex {
    let items: [PostSignals]
    /// Decoded media by file name; files that cannot be decoded are left out (and counted).
    let media: [String: ImageHashes]
    let undecodableMedia: Int
    private let postersByText: [String: Set<String>]
    private let postersByURL: [String: Set<String>]
    private let postersByDomain: [String: Set<String>]
    private let postersByHashtag: [String: Set<String>]
    private let postersByMedia: [String: Set<String>]
    private var textIndex: MinHashLSH
    private let textPosts: [Int]
    private let posts: [PlatformExport.Post]

    /// Indexes every post of `export`, hashing texts and pictures on all cores.
    init(export: PlatformExport, hasher: MinHasher, canonicalizer: URLCanonicalizer) throws(IngestError) {
        posts = export.posts
        var items = [PostSignals](repeating: PostSignals(), count: posts.count)
        items.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own element, so the buffer is shared without a data race.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: export.posts.count) { index in
                let post = export.posts[index]
                output[index] = PostSignals(
                    text: post.text, links: post.links, media: post.media, hasher: hasher, canonicalizer: canonicalizer)
            }
        }
        self.items = items

        let names = Array(Set(posts.flatMap(\.media))).sorted()
        var hashed = [ImageHashes?](repeating: nil, count: names.count)
        hashed.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: names.count) { index in
                output[index] = try? ImageHashes(fileBytes: try export.mediaBytes(names[index]))
            }
        }
        var media: [String: ImageHashes] = [:]
        for (name, hashes) in zip(names, hashed) { if let hashes { media[name] = hashes } }
        self.media = media
        undecodableMedia = names.count - media.count

        var texts: [String: Set<String>] = [:]
        var urls: [String: Set<String>] = [:]
        var domains: [String: Set<String>] = [:]
        var hashtags: [String: Set<String>] = [:]
        var pictures: [String: Set<String>] = [:]
        var index = MinHashLSH(threshold: 0.7)
        var textPosts: [Int] = []
        for (number, post) in posts.enumerated() {
            let item = items[number]
            if let text = item.text {
                texts[text.sha256, default: []].insert(post.account)
                index.insert(text.minHash)
                textPosts.append(number)
            }
            for url in item.urls {
                urls[url.url, default: []].insert(post.account)
                if let domain = url.domain { domains[domain, default: []].insert(post.account) }
            }
            for tag in item.hashtags { hashtags[tag, default: []].insert(post.account) }
            for name in item.media where media[name] != nil { pictures[name, default: []].insert(post.account) }
        }
        postersByText = texts
        postersByURL = urls
        postersByDomain = domains
        postersByHashtag = hashtags
        postersByMedia = pictures
        textIndex = index
        self.textPosts = textPosts
    }

    /// Accounts that posted this text or a near copy of it.
    func textPosters(_ text: TextFingerprint) -> Set<String> {
        var posters = postersByText[text.sha256] ?? []
        for hit in textIndex.query(text.minHash) { posters.insert(posts[textPosts[hit.index]].account) }
        return posters
    }

    /// Accounts that posted this picture or one within PDQ distance 31 (exact file digests count the file only).
    func picturePosters(_ name: String, near: Bool) -> Set<String> {
        guard near, let hashes = media[name] else { return postersByMedia[name] ?? [] }
        var posters: Set<String> = []
        for (other, otherHashes) in media where otherHashes.pdq.hash.distance(to: hashes.pdq.hash) <= 31 {
            posters.formUnion(postersByMedia[other] ?? [])
        }
        return posters
    }

    func urlPosters(_ url: String) -> Set<String> { postersByURL[url] ?? [] }
    func domainPosters(_ domain: String) -> Set<String> { postersByDomain[domain] ?? [] }
    func hashtagPosters(_ tag: String) -> Set<String> { postersByHashtag[tag] ?? [] }

}

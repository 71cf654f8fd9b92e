// ExportRecordSource::scanParallel: one thread reads (and inflates) each part and cuts it into
// pieces of whole records; the workers read the pieces with CsvScanner.

#include "csv/csvscanner.h"
#include "exports/exportfiles.h"
#include "integrity/exportrecordsource.h"
#include "integrity/exportrecordsource_p.h"

#include <QElapsedTimer>
#include <QIODevice>
#include <QLoggingCategory>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

Q_DECLARE_LOGGING_CATEGORY(lcIntegrity)

namespace {

constexpr size_t kPieceBytes = 4 << 20;
constexpr size_t kMaxPieceBytes = 64 << 20; // no line end outside quotes in this much: scan() it

/// Bytes without the zero-filling of std::vector (a piece is overwritten right away).
struct Bytes
{
    std::unique_ptr<char[]> data;
    size_t size = 0;
    size_t capacity = 0;

    void reserve(size_t n)
    {
        if (n <= capacity)
            return;
        auto grown = std::make_unique_for_overwrite<char[]>(n);
        if (size)
            std::memcpy(grown.get(), data.get(), size);
        data = std::move(grown);
        capacity = n;
    }
    void assign(const char *from, size_t n)
    {
        size = 0;
        reserve(n);
        if (n)
            std::memcpy(data.get(), from, n);
        size = n;
    }
};

/// Whole records of one part: where they start in it, and on which line.
struct Piece
{
    Bytes bytes;
    size_t part = 0;
    qint64 offset = 0;
    qint64 firstLine = 1;
    bool first = false; ///< the part's first piece: it starts with the header row
};

/// What the reader counts in a piece: quotes (to cut it outside quoted fields) and line ends.
struct Counts
{
    size_t quotes = 0;
    size_t lf = 0;
    size_t cr = 0;
    size_t crlf = 0; ///< CR directly followed by LF (inside the bytes)

    /// Line ends as CsvScanner counts them: LF, CRLF, or a lone CR.
    qint64 lineEnds() const { return qint64(lf + cr - crlf); }
    Counts operator-(const Counts &o) const { return {quotes - o.quotes, lf - o.lf, cr - o.cr, crlf - o.crlf}; }
};

/// Counts in one pass over the bytes (16 at a time where SSE2 is there).
Counts countAll(const char *bytes, size_t size)
{
    Counts n;
    size_t i = 0;
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    __m128i sums[4] = {zero, zero, zero, zero};
    // Blocks with one byte after them (the LF of a CRLF may be the next block's first byte).
    while (i + 17 <= size) {
        __m128i lanes[4] = {zero, zero, zero, zero};
        for (int round = 0; round < 255 && i + 17 <= size; ++round, i += 16) {
            const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + i));
            const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + i + 1));
            const __m128i isCr = _mm_cmpeq_epi8(block, cr);
            lanes[0] = _mm_sub_epi8(lanes[0], _mm_cmpeq_epi8(block, quote));
            lanes[1] = _mm_sub_epi8(lanes[1], _mm_cmpeq_epi8(block, lf));
            lanes[2] = _mm_sub_epi8(lanes[2], isCr);
            lanes[3] = _mm_sub_epi8(lanes[3], _mm_and_si128(isCr, _mm_cmpeq_epi8(next, lf)));
        }
        for (int k = 0; k < 4; ++k)
            sums[k] = _mm_add_epi64(sums[k], _mm_sad_epu8(lanes[k], zero));
    }
    size_t *const out[4] = {&n.quotes, &n.lf, &n.cr, &n.crlf};
    for (int k = 0; k < 4; ++k)
        *out[k] = size_t(_mm_cvtsi128_si64(sums[k])) + size_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums[k], sums[k])));
#endif
    for (; i < size; ++i) {
        const char c = bytes[i];
        n.quotes += c == '"';
        n.lf += c == '\n';
        n.cr += c == '\r';
        n.crlf += c == '\r' && i + 1 < size && bytes[i + 1] == '\n';
    }
    return n;
}

/**
 * Where to cut `bytes` (which start at a record, and hold `quotes` quotes) so that the first
 * piece holds whole records: after the last LF with an even number of quotes before it, i.e.
 * outside any quoted field (in a file CsvScanner reads: what it cannot read makes the whole scan
 * go to scan(), so a wrong guess here cannot pass). 0 when there is none.
 */
size_t cutAfterLastRecord(const char *bytes, size_t size, size_t quotes)
{
    size_t end = size;
    while (end > 0) {
        const void *lf = memrchr(bytes, '\n', end);
        if (!lf)
            return 0;
        const size_t at = size_t(static_cast<const char *>(lf) - bytes);
        quotes -= countAll(bytes + at + 1, end - at - 1).quotes;
        if (quotes % 2 == 0)
            return at + 1;
        end = at;
    }
    return 0;
}

} // namespace

Status ExportRecordSource::scanParallel(const QList<int> &columns, int workers, const ParallelVisitor &visit,
                                        bool &done, const std::atomic_bool *cancel, const ParallelStart &start)
{
    done = false;
    workers = std::max(workers, 1);
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::unique_ptr<Piece>> queue;
    bool readerDone = false;
    bool unsure = false;  // something only scan() reads: give up
    bool stopped = false; // the visitor said stop, or cancelled
    std::optional<Error> readError;
    const size_t maxQueued = size_t(workers) * 2;
    const size_t aheadPieces = size_t(std::max<qint64>(start.aheadBytes, 0)) / kPieceBytes;
    qint64 readerWaitedNs = 0, workersWaitedNs = 0; // under the mutex
    std::atomic<qint64> readingNs{0};

    const auto halted = [&] { return unsure || stopped || readError.has_value(); };
    // Pieces read go back here: their buffers are used again (no fresh pages to fault in).
    std::vector<std::unique_ptr<Piece>> pool;
    const auto recycled = [&] {
        std::lock_guard lock(mutex);
        if (pool.empty())
            return std::make_unique<Piece>();
        std::unique_ptr<Piece> piece = std::move(pool.back());
        pool.pop_back();
        return piece;
    };

    // Parts read at once where there are several (Mailchimp's zip: inflating is the slow part),
    // the largest first.
    std::vector<size_t> partOrder(m_parts.size());
    for (size_t k = 0; k < partOrder.size(); ++k)
        partOrder[k] = k;
    std::stable_sort(partOrder.begin(), partOrder.end(),
                     [&](size_t x, size_t y) { return m_parts[x]->part.size > m_parts[y]->part.size; });
    std::atomic<size_t> nextPart{0};
    const int readerCount = int(std::min<size_t>(2, m_parts.size()));
    int readersLeft = readerCount; // under the mutex
    const auto read = [&] {
        const auto push = [&](std::unique_ptr<Piece> piece) {
            std::unique_lock lock(mutex);
            QElapsedTimer waited;
            waited.start();
            changed.wait(lock, [&] {
                const bool open = !start.gate.valid()
                                  || start.gate.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
                return queue.size() < (open ? maxQueued : std::max(maxQueued, aheadPieces)) || halted();
            });
            readerWaitedNs += waited.nsecsElapsed();
            if (halted())
                return false;
            queue.push_back(std::move(piece));
            changed.notify_all();
            return true;
        };
        const auto fail = [&](std::optional<Error> error) {
            std::lock_guard lock(mutex);
            if (error)
                readError = std::move(error);
            else
                unsure = true;
            changed.notify_all();
        };
        for (size_t k = nextPart++; k < partOrder.size(); k = nextPart++) {
            const size_t pi = partOrder[k];
            Part &p = *m_parts[pi];
            Result<std::unique_ptr<QIODevice>> device = ExportFiles::open(p.part);
            if (!device)
                return fail(Error(device.error().message, where(p.shown, 0), device.error().hint));
            Bytes carry;
            qint64 offset = 0;
            qint64 line = 1;
            bool first = true;
            bool atEnd = false;
            while (!atEnd) {
                if (cancel && cancel->load(std::memory_order_relaxed)) {
                    std::lock_guard lock(mutex);
                    stopped = true;
                    changed.notify_all();
                    return;
                }
                std::unique_ptr<Piece> piece = recycled();
                Bytes &b = piece->bytes;
                b.assign(carry.data.get(), carry.size);
                size_t cut = 0;
                Counts all;
                for (;;) {
                    // Read until the piece is full (a zip entry hands out little at a time).
                    const size_t want = std::max(kPieceBytes, b.size + kPieceBytes / 4);
                    b.reserve(want);
                    while (b.size < want) {
                        QElapsedTimer inRead;
                        inRead.start();
                        const qint64 n = (*device)->read(b.data.get() + b.size, qint64(want - b.size));
                        readingNs += inRead.nsecsElapsed();
                        if (n < 0)
                            return fail(std::nullopt); // scan() says what the error is
                        if (n == 0) {
                            atEnd = true;
                            break;
                        }
                        b.size += size_t(n);
                    }
                    all = countAll(b.data.get(), b.size);
                    cut = atEnd ? b.size : cutAfterLastRecord(b.data.get(), b.size, all.quotes);
                    if (cut > 0 || atEnd)
                        break;
                    if (b.size >= kMaxPieceBytes)
                        return fail(std::nullopt);
                }
                carry.assign(b.data.get() + cut, b.size - cut);
                b.size = cut;
                if (cut == 0)
                    break;
                piece->part = pi;
                piece->offset = offset;
                piece->firstLine = line;
                piece->first = first;
                first = false;
                offset += qint64(cut);
                line += (all - countAll(carry.data.get(), carry.size)).lineEnds();
                if (!push(std::move(piece)))
                    return;
            }
        }
        std::lock_guard lock(mutex);
        readerDone = --readersLeft == 0;
        changed.notify_all();
    };
    std::vector<std::thread> readers;
    for (int r = 0; r < readerCount; ++r)
        readers.emplace_back(read);

    const auto work = [&](int worker) {
        if (start.gate.valid())
            start.gate.wait();
        {
            std::lock_guard lock(mutex);
            changed.notify_all(); // the reader may read ahead no further
        }
        std::vector<QByteArrayView> values(size_t(columns.size()));
        for (;;) {
            std::unique_ptr<Piece> piece;
            {
                std::unique_lock lock(mutex);
                QElapsedTimer waited;
                waited.start();
                changed.wait(lock, [&] { return !queue.empty() || readerDone || halted(); });
                workersWaitedNs += waited.nsecsElapsed();
                if (halted() || queue.empty())
                    return;
                piece = std::move(queue.front());
                queue.pop_front();
                changed.notify_all();
            }
            Part &p = *m_parts[piece->part];
            bool header = piece->first;
            // A part's byte order mark: not part of its header (the line still starts at 0).
            const size_t bom = piece->first && piece->bytes.size >= 3
                                       && std::memcmp(piece->bytes.data.get(), "\xEF\xBB\xBF", 3) == 0
                                   ? 3
                                   : 0;
            CsvScanner scanner(p.delimiter);
            const CsvScanner::Outcome outcome = scanner.scanPiece(
                piece->bytes.data.get() + bom, piece->bytes.size - bom, p.width, [&](const CsvScanner::Record &rec) {
                    if (header) {
                        header = false;
                        return true;
                    }
                    DiffRecord r = p.record(rec.fields, columns, values);
                    r.line = piece->firstLine + rec.line - 1;
                    r.locator = (quint64(piece->part) << kOffsetBits)
                                | (quint64(piece->offset + qint64(bom) + rec.offset) & ((quint64(1) << kOffsetBits) - 1));
                    return visit(worker, r);
                });
            std::lock_guard lock(mutex);
            if (outcome != CsvScanner::Outcome::Done) {
                (outcome == CsvScanner::Outcome::Stopped ? stopped : unsure) = true;
                changed.notify_all();
                return;
            }
            pool.push_back(std::move(piece));
        }
    };
    std::vector<std::thread> others;
    for (int w = 1; w < workers; ++w)
        others.emplace_back(work, w);
    work(0);
    for (std::thread &t : others)
        t.join();
    {
        // A worker that stopped leaves the reader waiting for room: wake it to see why.
        std::lock_guard lock(mutex);
        if (!readerDone && !halted())
            unsure = true; // every worker gone without a reason: cannot happen, but never hang
        changed.notify_all();
    }
    for (std::thread &t : readers)
        t.join();
    qCDebug(lcIntegrity) << displayName() << "in pieces: the reader waited" << readerWaitedNs / 1000000
                         << "ms for room, the workers" << workersWaitedNs / 1000000 << "ms for pieces; reading took"
                         << readingNs / 1000000 << "ms";
    if (unsure)
        return Status::success(); // done stays false: scan() it
    if (readError)
        return *readError;
    done = true;
    return Status::success();
}

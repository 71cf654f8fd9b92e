// The reading machinery of DiffEngine (see diffreading_p.h).

#include "integrity/diffreading_p.h"

#include "contacts/emailaddress.h"

#include <algorithm>
#include <thread>

namespace DiffReading {

/// By email hash, then as the side has them: halves on two threads, then merged.
void sortEntries(std::vector<Entry> &entries)
{
    const auto less = [](const Entry &a, const Entry &b) {
        return a.email != b.email ? a.email < b.email : a.locator < b.locator;
    };
    if (entries.size() < (1 << 16)) {
        std::sort(entries.begin(), entries.end(), less);
        return;
    }
    const auto middle = entries.begin() + qsizetype(entries.size() / 2);
    std::thread other([&] { std::sort(entries.begin(), middle, less); });
    std::sort(middle, entries.end(), less);
    other.join();
    std::inplace_merge(entries.begin(), middle, entries.end(), less);
}

void readSide(Side &side, bool isSource, const std::atomic_bool *cancel,
              const std::function<void(bool, qint64)> &report)
{
    RecordHasher hasher(side.types);
    side.status = side.source->scan(
        side.columns,
        [&](const DiffRecord &r) {
            side.entries.push_back(Entry{hasher.email(r.email), hasher.values(r.values), r.locator,
                                         quint32(std::min<qint64>(r.line, 0xFFFFFFFF)), quint8(r.status)});
            ++side.byStatus[size_t(r.status)];
            if (side.entries.size() % kProgressEvery == 0)
                report(isSource, qint64(side.entries.size()));
            return true;
        },
        cancel);
    sortEntries(side.entries);
}

/// The email as the listing shows it: trimmed, at most 0xFFFF bytes.
QByteArrayView shownEmail(QByteArrayView email)
{
    const QByteArrayView t = EmailAddress::trimmed(email);
    return t.first(std::min<qsizetype>(t.size(), 0xFFFF));
}

void detailSide(Side &side, DetailJob &job, int fields, const std::atomic_bool *cancel)
{
    RecordHasher hasher(side.types);
    size_t next = 0;
    job.emailAt.resize(job.wanted.size());
    std::vector<quint64> scratch(static_cast<size_t>(fields));
    std::vector<quint64> locators(job.wanted.size());
    for (size_t k = 0; k < job.wanted.size(); ++k)
        locators[k] = job.wanted[k].first;
    job.status = side.source->visitAt(
        locators, side.columns,
        [&](const DiffRecord &r) {
            while (next < job.wanted.size() && job.wanted[next].first < r.locator)
                ++next; // not met again: the file changed; the row keeps no email
            if (next >= job.wanted.size())
                return false;
            if (job.wanted[next].first != r.locator)
                return true;
            const quint32 row = job.wanted[next].second;
            const QByteArrayView email = shownEmail(r.email);
            job.emailAt[next] = {quint32(job.emails.size()), quint32(email.size())};
            job.emails.append(email.data(), email.size());
            if (const qint32 slot = (*job.hashSlot)[row]; slot >= 0) {
                hasher.values(r.values, scratch.data());
                std::copy(scratch.begin(), scratch.end(), job.fieldHashes.begin() + qsizetype(slot) * fields);
            }
            ++next;
            return true;
        },
        cancel);
}

void readSideMatching(Side &side, Matcher &matcher, Captured &captured, int fields, bool isSource,
                      const std::atomic_bool *cancel, const std::function<void(bool, qint64)> &report)
{
    RecordHasher hasher(side.types);
    std::vector<quint64> scratch(static_cast<size_t>(fields));
    side.status = side.source->scan(
        side.columns,
        [&](const DiffRecord &r) {
            const quint64 emailHash = hasher.email(r.email);
            matcher.prefetch(emailHash);
            const Entry e{emailHash, hasher.values(r.values), r.locator,
                          quint32(std::min<qint64>(r.line, 0xFFFFFFFF)), quint8(r.status)};
            side.entries.push_back(e);
            ++side.byStatus[size_t(r.status)];
            if (matcher.match(e)) {
                if (!captured.locators.empty() && captured.locators.back() >= r.locator)
                    captured.inOrder = false;
                captured.locators.push_back(r.locator);
                const QByteArrayView email = shownEmail(r.email);
                captured.emailAt.emplace_back(quint32(captured.emails.size()), quint32(email.size()));
                captured.emails.append(email.data(), email.size());
                captured.slot.push_back(qint32(captured.hashes.size() / size_t(std::max(fields, 1))));
                hasher.values(r.values, scratch.data());
                captured.hashes.insert(captured.hashes.end(), scratch.begin(), scratch.end());
            }
            if (side.entries.size() % kProgressEvery == 0)
                report(isSource, qint64(side.entries.size()));
            return true;
        },
        cancel);
    sortEntries(side.entries);
}


/**
 * readSide(), or readSideMatching() when `matcher` is set, on `workers` threads through
 * DiffRecordSource::scanParallel(). False when the side cannot be read so (then nothing is kept).
 */
bool readSideParallel(Side &side, std::optional<Matcher> *matcher, Captured *captured, int fields, int workers,
                      bool isSource, const std::atomic_bool *cancel, const std::function<void(bool, qint64)> &report,
                      const DiffRecordSource::ParallelStart &start, const std::atomic_bool *abort)
{
    struct Worker
    {
        explicit Worker(const QList<CompareType> &types) : hasher(types) {}
        RecordHasher hasher;
        std::vector<Entry> entries;
        std::array<qint64, 8> byStatus{};
        Captured captured;
        std::vector<quint64> scratch;
    };
    std::vector<std::unique_ptr<Worker>> state;
    for (int w = 0; w < workers; ++w) {
        state.push_back(std::make_unique<Worker>(side.types));
        state.back()->scratch.resize(size_t(fields));
        state.back()->entries.reserve(1 << 16);
    }
    std::atomic<qint64> read{0};
    bool done = false;
    side.status = side.source->scanParallel(
        side.columns, workers,
        [&](int worker, const DiffRecord &r) {
            Worker &w = *state[size_t(worker)];
            const quint64 emailHash = w.hasher.email(r.email);
            if (matcher && *matcher)
                (*matcher)->prefetch(emailHash);
            const Entry e{emailHash, w.hasher.values(r.values), r.locator,
                          quint32(std::min<qint64>(r.line, 0xFFFFFFFF)), quint8(r.status)};
            w.entries.push_back(e);
            ++w.byStatus[size_t(r.status)];
            if (matcher && *matcher) {
                if ((*matcher)->peek(e)) {
                    Captured &c = w.captured;
                    c.locators.push_back(r.locator);
                    const QByteArrayView email = shownEmail(r.email);
                    c.emailAt.emplace_back(quint32(c.emails.size()), quint32(email.size()));
                    c.emails.append(email.data(), email.size());
                    c.slot.push_back(qint32(c.hashes.size() / size_t(std::max(fields, 1))));
                    w.hasher.values(r.values, w.scratch.data());
                    c.hashes.insert(c.hashes.end(), w.scratch.begin(), w.scratch.end());
                }
            }
            if (w.entries.size() % kProgressEvery == 0) {
                report(isSource, read.fetch_add(kProgressEvery) + kProgressEvery);
                if (cancel && cancel->load(std::memory_order_relaxed))
                    return false;
            }
            return true;
        },
        done, abort ? abort : cancel, start);
    if (!done && side.status.ok()) {
        qCDebug(lcIntegrity) << side.source->displayName() << "cannot be read in pieces: read in one";
        return false;
    }
    if (matcher)
        matcher->reset(); // done with: its memory is the entries' now
    size_t total = 0;
    for (const auto &w : state)
        total += w->entries.size();
    side.entries.clear();
    side.entries.swap(state.front()->entries);
    side.entries.reserve(total);
    for (auto &w : state) {
        side.entries.insert(side.entries.end(), w->entries.begin(), w->entries.end());
        std::vector<Entry>().swap(w->entries);
        for (size_t k = 0; k < side.byStatus.size(); ++k)
            side.byStatus[k] += w->byStatus[k];
    }
    if (captured) {
        // The workers' takings in one list, by locator.
        std::vector<std::pair<quint64, std::pair<int, size_t>>> order;
        for (int w = 0; w < workers; ++w) {
            const Captured &c = state[size_t(w)]->captured;
            for (size_t k = 0; k < c.locators.size(); ++k)
                order.push_back({c.locators[k], {w, k}});
        }
        std::sort(order.begin(), order.end());
        for (const auto &[locator, at] : order) {
            const Captured &c = state[size_t(at.first)]->captured;
            const size_t k = at.second;
            captured->locators.push_back(locator);
            const auto [offset, length] = c.emailAt[k];
            captured->emailAt.emplace_back(quint32(captured->emails.size()), length);
            captured->emails.append(c.emails.constData() + offset, length);
            if (c.slot[k] >= 0) {
                captured->slot.push_back(qint32(captured->hashes.size() / size_t(std::max(fields, 1))));
                const auto from = c.hashes.begin() + qsizetype(c.slot[k]) * fields;
                captured->hashes.insert(captured->hashes.end(), from, from + fields);
            } else {
                captured->slot.push_back(-1);
            }
        }
        for (size_t k = 1; k < captured->locators.size(); ++k)
            captured->inOrder = captured->inOrder && captured->locators[k - 1] < captured->locators[k];
    }
    sortEntries(side.entries);
    return true;
}

/// The detail pass of a side read by readSideMatching(): from what it took. False when something
/// wanted was not taken (then the side is read again).
bool detailFromCaptured(const Captured &captured, DetailJob &job, int fields)
{
    if (!captured.inOrder) {
        qCDebug(lcIntegrity) << "the records taken are not in order: read again";
        return false;
    }
    job.emailAt.resize(job.wanted.size());
    size_t c = 0;
    for (size_t k = 0; k < job.wanted.size(); ++k) {
        const auto [locator, row] = job.wanted[k];
        while (c < captured.locators.size() && captured.locators[c] < locator)
            ++c;
        if (c >= captured.locators.size() || captured.locators[c] != locator) {
            qCDebug(lcIntegrity) << "a record that is a row was not taken (a duplicate): read again";
            return false;
        }
        const auto [offset, length] = captured.emailAt[c];
        job.emailAt[k] = {quint32(job.emails.size()), length};
        job.emails.append(captured.emails.constData() + offset, length);
        if (const qint32 slot = (*job.hashSlot)[row]; slot >= 0) {
            if (captured.slot[c] < 0)
                return false;
            const auto from = captured.hashes.begin() + qsizetype(captured.slot[c]) * fields;
            std::copy(from, from + fields, job.fieldHashes.begin() + qsizetype(slot) * fields);
        }
    }
    job.status = Status::success();
    return true;
}

} // namespace DiffReading

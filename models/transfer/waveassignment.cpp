#include "transfer/waveassignment.h"

#include "contacts/emailaddress.h"
#include "transfer/backupcontactstream.h"
#include "transfer/backupformat.h"
#include "transfer/backupmanifest.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QtConcurrent>

#include <unordered_set>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

using namespace Qt::StringLiterals;

qint64 WaveAssignmentResult::assigned() const
{
    qint64 n = 0;
    for (const WaveSummary &w : waves)
        n += w.contacts;
    return n;
}

namespace {

/// Qt's case folding of an ASCII unit: A-Z lowered, the rest as it is.
constexpr char16_t foldAscii(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
}

/// a.compare(b, Qt::CaseInsensitive) < 0, without Qt's case folding while both are ASCII up to
/// where they differ (folding ASCII only lowers A-Z, so the result is the same); Qt's compare
/// for the others. The tie-break of a million subscribers' sort, most with equal ranks.
bool lessIgnoringCase(const QString &a, const QString &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    const char16_t *x = reinterpret_cast<const char16_t *>(a.constData());
    const char16_t *y = reinterpret_cast<const char16_t *>(b.constData());
    for (qsizetype i = 0; i < n; ++i) {
        if (x[i] >= 0x80 || y[i] >= 0x80)
            return a.compare(b, Qt::CaseInsensitive) < 0;
        const char16_t p = foldAscii(x[i]), q = foldAscii(y[i]);
        if (p != q)
            return p < q;
    }
    return a.size() < b.size();
}

/// The first 16 units of an address ignoring case, packed big-endian in two words (zeros past
/// its end) so that comparing the words compares those units as lessIgnoringCase does; false
/// when one of them is outside ASCII (or NUL), for which only lessIgnoringCase decides.
bool sortKey(const QString &a, quint64 (&key)[2])
{
    key[0] = key[1] = 0;
    const char16_t *x = reinterpret_cast<const char16_t *>(a.constData());
    const qsizetype n = std::min<qsizetype>(a.size(), 16);
    for (qsizetype i = 0; i < n; ++i) {
        if (x[i] == 0 || x[i] >= 0x80)
            return false;
        key[i / 8] |= quint64(foldAscii(x[i])) << (8 * (7 - i % 8));
    }
    return true;
}

/// The candidates of a backup read in two parts (assignBackup), as one list.
struct TwoParts
{
    const QList<WaveCandidate> &first;
    const QList<WaveCandidate> &second;
    qsizetype size() const { return first.size() + second.size(); }
    const WaveCandidate &operator[](qsizetype i) const
    {
        return i < first.size() ? first[i] : second[i - first.size()];
    }
};

/// WaveAssignment::assign() over a QList or TwoParts.
template <typename Candidates>
WaveAssignmentResult assignAll(const Candidates &candidates, const QList<WavePlan> &plan,
                               TargetPlatform target)
{
    WaveAssignmentResult result;
    result.waveOf.fill(-1, candidates.size());

    // The waves the plan names; at least wave 0 and one subscriber wave.
    int lastWave = 1;
    for (const WavePlan &w : plan)
        lastWave = std::max(lastWave, w.number);
    result.waves.resize(lastWave + 1);
    for (int n = 0; n <= lastWave; ++n)
        result.waves[n].number = n;

    const auto put = [&](qsizetype i, int wave) {
        result.waveOf[i] = wave;
        WaveSummary &w = result.waves[wave];
        ++w.contacts;
        ++w.byStatus[candidates[i].status];
    };

    QList<qsizetype> subscribers, others;
    std::unordered_set<std::string> seen;
    seen.reserve(size_t(candidates.size()));
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const WaveCandidate &c = candidates[i];
        const QByteArray utf8 = c.email.toUtf8();
        const QByteArrayView address = EmailAddress::trimmed(utf8);
        if (!EmailAddress::isValid(address)) {
            result.rejected.append({i, c.email, u"invalid_email"_s,
                                    WaveAssignment::tr("Not written: %1").arg(EmailAddress::problem(address))});
            continue;
        }
        if (!seen.insert(EmailAddress::normalized(address)).second) {
            result.rejected.append({i, c.email, u"duplicate"_s,
                                    WaveAssignment::tr("Not written again: the same address (ignoring case and spaces) is "
                                       "earlier in the source.")});
            continue;
        }
        std::optional<ContactWrite> mapped;
        if (!c.decided)
            mapped = ConsentMapping::map(c.status, c.consent, target);
        switch (c.decided ? *c.decided : mapped->wave) {
        case WriteWave::Suppression:
            put(i, 0);
            break;
        case WriteWave::Subscriber:
            subscribers.append(i);
            break;
        case WriteWave::NonMarketable:
            others.append(i);
            break;
        case WriteWave::Skip:
            result.rejected.append({i, c.email, u"not_written"_s,
                                    mapped ? ConsentMapping::describe(*mapped) : c.skipReason});
            break;
        }
    }

    // Seeds first, then the most engaged: more stars, then the latest change (an unknown one
    // last), then the address (so that the same source always gives the same waves). The keys
    // are sorted side by side, not looked up in the candidates for every comparison.
    // The address's first letters too (sortKey), so that most ties are broken without reading
    // the addresses themselves, scattered over the candidates.
    struct Rank
    {
        bool seed;
        bool keyed; ///< key holds the address's first 16 units
        int rating;
        qint64 day; ///< Julian day; the lowest when unknown
        quint64 key[2];
        qsizetype index;
    };
    std::vector<Rank> ranks;
    ranks.reserve(size_t(subscribers.size()));
    for (const qsizetype i : std::as_const(subscribers)) {
        const WaveCandidate &c = candidates[i];
        Rank r{c.seed, false, c.rating,
               c.lastChanged.isValid() ? c.lastChanged.toJulianDay() : std::numeric_limits<qint64>::min(),
               {0, 0}, i};
        r.keyed = sortKey(c.email, r.key);
        ranks.push_back(r);
    }
    std::stable_sort(ranks.begin(), ranks.end(), [&](const Rank &x, const Rank &y) {
        if (x.seed != y.seed)
            return x.seed;
        if (x.rating != y.rating)
            return x.rating > y.rating;
        if (x.day != y.day)
            return x.day > y.day;
        if (x.keyed && y.keyed) {
            if (x.key[0] != y.key[0])
                return x.key[0] < y.key[0];
            if (x.key[1] != y.key[1])
                return x.key[1] < y.key[1];
        }
        return lessIgnoringCase(candidates[x.index].email, candidates[y.index].email);
    });
    for (size_t r = 0; r < ranks.size(); ++r)
        subscribers[qsizetype(r)] = ranks[r].index;

    // The plan's sizes include the contacts without consent in the last wave; the subscribers
    // fill the waves in order, whatever the counts became since the plan was made: a wave is
    // full at its planned size, the last one takes the rest.
    QList<qint64> capacity(lastWave + 1, 0);
    for (const WavePlan &w : plan) {
        if (w.number >= 1)
            capacity[w.number] = w.contacts;
    }
    capacity[lastWave] = std::max<qint64>(0, capacity[lastWave] - others.size());
    int wave = 1;
    qint64 inWave = 0;
    for (const qsizetype i : std::as_const(subscribers)) {
        while (wave < lastWave && inWave >= capacity[wave]) {
            ++wave;
            inWave = 0;
        }
        put(i, wave);
        ++inWave;
    }
    for (const qsizetype i : std::as_const(others))
        put(i, lastWave);
    return result;
}

} // namespace

WaveAssignmentResult WaveAssignment::assign(const QList<WaveCandidate> &candidates,
                                            const QList<WavePlan> &plan, TargetPlatform target)
{
    return assignAll(candidates, plan, target);
}

Result<std::optional<WaveAssignmentResult>>
WaveAssignment::assignBackup(const QString &folder, const QList<WavePlan> &plan, const QStringList &seeds,
                             TargetPlatform target, const std::function<bool()> &cancelled)
{
    QSet<std::string> seeded;
    for (const QString &s : seeds)
        seeded.insert(EmailAddress::normalized(s.toUtf8()));
    qint64 records = 0; // as the manifest counts them (the stages verified it)
    if (const Result<BackupManifest> manifest = BackupManifest::load(folder)) {
        if (const BackupFileEntry *contacts = manifest->file(BackupFormat::kContacts))
            records = contacts->records;
    }
    // The candidates of the contacts whose lines start in [from, to) of the file, in order;
    // nullopt when cancelled. Fields and tags play no part in a contact's wave.
    using Part = Result<std::optional<QList<WaveCandidate>>>;
    const auto readPart = [&](qint64 from, qint64 to, qsizetype expected) -> Part {
        BackupContactStream stream(folder, BackupLineParser::Parts::NoFieldsOrTags);
        if (Status s = stream.openRange(from, to); !s)
            return s.error();
        QList<WaveCandidate> candidates;
        candidates.reserve(expected); // no room grown twice over
        for (;;) {
            Result<std::optional<SourceContact>> next = stream.next();
            if (!next)
                return next.error();
            if (!next->has_value())
                break;
            const SourceContact &c = **next;
            // The wave is decided now; the evidence it was decided from is not kept.
            const ContactWrite write = ConsentMapping::map(c.status, c.consent, target);
            const bool seed
                = !seeded.isEmpty() && seeded.contains(EmailAddress::normalized(c.email.toUtf8()));
            WaveCandidate candidate{c.email, c.status, c.rating, c.lastChanged.date(), seed, {}, write.wave, {}};
            if (write.wave == WriteWave::Skip)
                candidate.skipReason = ConsentMapping::describe(write);
            candidates.append(std::move(candidate));
            if ((candidates.size() & 0x3fff) == 0 && cancelled && cancelled())
                return std::optional<QList<WaveCandidate>>();
        }
        return std::optional<QList<WaveCandidate>>(std::move(candidates));
    };

    // A large backup is read in two halves side by side (pass 1 is most of the time before a
    // stage's first write); the second half's contacts follow the first's, as in the file.
    const qint64 size = QFileInfo(QDir(folder).filePath(BackupFormat::kContacts)).size();
    if (size < kSplitBytes) {
        Part whole = readPart(0, -1, qsizetype(records));
        if (!whole)
            return whole.error();
        if (!whole->has_value())
            return std::optional<WaveAssignmentResult>();
        return std::optional<WaveAssignmentResult>(assignAll(**whole, plan, target));
    }
    const qint64 middle = size / 2;
    QFuture<Part> secondHalf = QtConcurrent::run([&] { return readPart(middle, -1, qsizetype(records / 2 + 1)); });
    Part first = readPart(0, middle, qsizetype(records / 2 + 1));
    secondHalf.waitForFinished();
    Part second = secondHalf.takeResult();
    if (!first) // the earlier line first
        return first.error();
    if (!second)
        return second.error();
    if (!first->has_value() || !second->has_value())
        return std::optional<WaveAssignmentResult>();
    // Assigned where they are: one list of both would hold half of them twice meanwhile.
    return std::optional<WaveAssignmentResult>(assignAll(TwoParts{**first, **second}, plan, target));
}

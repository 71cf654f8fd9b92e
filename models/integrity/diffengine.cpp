#include "integrity/diffengine.h"

#include "connectors/consentmapping.h"
#include "contacts/emailaddress.h"
#include "integrity/backuprecordsource.h"
#include "integrity/diffreading_p.h"
#include "integrity/exportrecordsource.h"
#include "integrity/valuenormalisation.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <algorithm>
#include <future>
#include <thread>

Q_LOGGING_CATEGORY(lcIntegrity, "stagecoach.integrity")

namespace {

using namespace DiffReading;

Error cancelled()
{
    return Error(DiffEngine::tr("The comparison was cancelled."));
}

} // namespace

std::shared_ptr<DiffRecordSource> DiffEngine::sideFor(const QString &path, const DiffMappingFile *mapping,
                                                      bool sourceSide)
{
    if (BackupRecordSource::isBackupFolder(path))
        return std::make_shared<BackupRecordSource>(path);
    auto side = std::make_shared<ExportRecordSource>(path);
    if (mapping) {
        using Role = DiffMappingFile::Row::Role;
        if (const auto *r = mapping->special(Role::Email))
            side->setEmailColumn(sourceSide ? r->source : r->target);
        if (const auto *r = mapping->special(Role::Status))
            side->setStatusColumn(sourceSide ? r->source : r->target);
    }
    return side;
}

Result<DiffResult> DiffEngine::compare(DiffInput input, const std::atomic_bool *cancel,
                                       const ProgressHandler &progress)
{
    if (!input.source || !input.target)
        return Error(tr("Nothing to compare."));
    if (const Status s = input.source->open(); !s)
        return s.error();
    if (const Status s = input.target->open(); !s)
        return s.error();

    DiffMapping mapping;
    if (input.mapping) {
        mapping = *input.mapping;
    } else {
        Result<DiffMapping> m = input.mappingFile
            ? DiffMapping::fromFile(*input.mappingFile, *input.source, *input.target)
            : DiffMapping::automatic(*input.source, *input.target);
        if (!m)
            return m.error();
        mapping = std::move(m).value();
    }
    const int fields = int(mapping.fields.size());

    Side a, b;
    a.source = input.source.get();
    b.source = input.target.get();
    for (const DiffFieldPair &f : std::as_const(mapping.fields)) {
        a.columns.append(f.sourceField);
        b.columns.append(f.targetField);
        a.types.append(f.type);
        b.types.append(f.type);
    }

    QElapsedTimer clock;
    clock.start();
    // Pass 1: both sides at once.
    std::atomic<qint64> readA{0}, readB{0};
    const auto report = [&](bool isSource, qint64 n) {
        (isSource ? readA : readB).store(n);
        if (progress)
            progress(DiffProgress{DiffProgress::Phase::Reading, readA.load(), readB.load()});
    };
    // A side that can be read again cheaply (a plain CSV) against one that cannot (a zip): the
    // first is read alone, then the second once, matched as it is read (readSideMatching).
    // Otherwise both at once, and the differing records read again after the merge.
    Captured captured;
    Side *matched = nullptr;
    if (a.source->seekable() != b.source->seekable()) {
        // One side after the other, each on both cores where the side can be cut into pieces.
        // The second starts reading ahead (inflating) while the first is read: its workers wait
        // for the matcher.
        Side &first = a.source->seekable() ? a : b;
        matched = &(&first == &a ? b : a);
        std::optional<Matcher> matcher;
        std::promise<void> gate;
        std::atomic_bool abortMatched{false};
        bool matchedInPieces = false;
        std::thread second([&] {
            matchedInPieces = readSideParallel(*matched, &matcher, &captured, fields, kWorkers, matched == &a, cancel,
                                               report, {gate.get_future().share(), kReadAheadBytes}, &abortMatched);
        });
        if (!readSideParallel(first, nullptr, nullptr, fields, kWorkers, &first == &a, cancel, report))
            readSide(first, &first == &a, cancel, report);
        qCDebug(lcIntegrity) << "read" << first.source->displayName() << "in" << clock.elapsed() << "ms";
        const bool goOn = first.status.ok() && !(cancel && cancel->load());
        if (goOn)
            matcher.emplace(first.entries);
        else
            abortMatched = true;
        gate.set_value();
        second.join();
        if (goOn && !matchedInPieces) {
            captured = Captured();
            if (!matcher)
                matcher.emplace(first.entries);
            readSideMatching(*matched, *matcher, captured, fields, matched == &a, cancel, report);
        }
    } else {
        std::thread other([&] { readSide(b, false, cancel, report); });
        readSide(a, true, cancel, report);
        other.join();
    }
    if (!a.status.ok())
        return a.status.error();
    if (!b.status.ok())
        return b.status.error();
    if (cancel && cancel->load())
        return cancelled();
    if (progress)
        progress(DiffProgress{DiffProgress::Phase::Comparing, qint64(a.entries.size()), qint64(b.entries.size())});

    qCDebug(lcIntegrity) << "read both sides in" << clock.elapsed() << "ms";
    // Merge the sorted arrays.
    DiffResult result;
    DiffSummary &s = result.summary;
    s.source = input.source->displayName();
    s.target = input.target->displayName();
    s.sourceRecords = qint64(a.entries.size());
    s.targetRecords = qint64(b.entries.size());
    s.sourceByStatus = a.byStatus;
    s.targetByStatus = b.byStatus;
    s.changedByField = QList<qint64>(fields, 0);
    s.fields = mapping.fields;
    s.notComparedSource = mapping.notComparedSource;
    s.notComparedTarget = mapping.notComparedTarget;
    std::vector<DiffRow> &rows = result.m_rows;
    std::vector<qint32> hashSlot; // per row: its slot in the field hashes, or -1
    qint32 slots = 0;

    const auto single = [&](const Entry &e, bool onSource, DiffKind kind) {
        DiffRow r;
        r.kind = kind;
        (onSource ? r.sourceLocator : r.targetLocator) = e.locator;
        (onSource ? r.sourceLine : r.targetLine) = e.line;
        (onSource ? r.sourceStatus : r.targetStatus) = e.status;
        r.emailFromTarget = !onSource;
        rows.push_back(r);
        hashSlot.push_back(-1);
    };
    size_t i = 0, j = 0;
    const auto &ea = a.entries;
    const auto &eb = b.entries;
    while (i < ea.size() || j < eb.size()) {
        const bool takeA = j >= eb.size() || (i < ea.size() && ea[i].email <= eb[j].email);
        const bool takeB = i >= ea.size() || (j < eb.size() && eb[j].email <= ea[i].email);
        if (takeA && takeB) {
            const Entry &x = ea[i], &y = eb[j];
            const ContactStatus xs = ContactStatus(x.status), ys = ContactStatus(y.status);
            const bool statusDiffers = ConsentMapping::level(xs) != ConsentMapping::level(ys);
            if (x.values == y.values && !statusDiffers) {
                ++s.identical;
            } else {
                DiffRow r;
                r.kind = ConsentMapping::isConsentViolation(xs, ys) ? DiffKind::ConsentViolation : DiffKind::Changed;
                r.sourceLocator = x.locator;
                r.targetLocator = y.locator;
                r.sourceLine = x.line;
                r.targetLine = y.line;
                r.sourceStatus = x.status;
                r.targetStatus = y.status;
                r.fieldMask = statusDiffers ? DiffRow::kStatusBit : 0;
                rows.push_back(r);
                hashSlot.push_back(x.values != y.values ? slots++ : -1);
                ++s.changed;
                s.consentViolations += r.kind == DiffKind::ConsentViolation ? 1 : 0;
                s.statusChanged += statusDiffers ? 1 : 0;
            }
        } else if (takeA) {
            single(ea[i], true, DiffKind::Missing);
            ++s.missing;
        } else {
            single(eb[j], false, DiffKind::Extra);
            ++s.extra;
        }
        // Further records of the same email on either side: duplicates, each a row.
        const quint64 key = takeA ? ea[i].email : eb[j].email;
        if (takeA) {
            for (++i; i < ea.size() && ea[i].email == key; ++i) {
                single(ea[i], true, DiffKind::DuplicateInSource);
                ++s.sourceDuplicates;
            }
        }
        if (takeB) {
            for (++j; j < eb.size() && eb[j].email == key; ++j) {
                single(eb[j], false, DiffKind::DuplicateInTarget);
                ++s.targetDuplicates;
            }
        }
    }
    // The compact arrays are done with.
    std::vector<Entry>().swap(a.entries);
    std::vector<Entry>().swap(b.entries);

    qCDebug(lcIntegrity) << "merged in" << clock.elapsed() << "ms";
    // Pass 2: the differing records only, both sides at once.
    if (progress)
        progress(DiffProgress{DiffProgress::Phase::Details, 0, 0});
    DetailJob ja, jb;
    ja.hashSlot = &hashSlot;
    jb.hashSlot = &hashSlot;
    for (quint32 r = 0; r < quint32(rows.size()); ++r) {
        if (rows[r].sourceLocator != DiffRow::kNone)
            ja.wanted.emplace_back(rows[r].sourceLocator, r);
        if (rows[r].targetLocator != DiffRow::kNone)
            jb.wanted.emplace_back(rows[r].targetLocator, r);
    }
    std::sort(ja.wanted.begin(), ja.wanted.end());
    std::sort(jb.wanted.begin(), jb.wanted.end());
    ja.fieldHashes.resize(size_t(slots) * size_t(fields));
    jb.fieldHashes.resize(size_t(slots) * size_t(fields));
    if (!rows.empty()) {
        DetailJob &fromCaptured = matched == &a ? ja : jb;
        if (matched && detailFromCaptured(captured, fromCaptured, fields))
            detailSide(matched == &a ? b : a, matched == &a ? jb : ja, fields, cancel);
        else {
            if (matched) { // not all taken: read it again after all
                fromCaptured.emails.clear();
                fromCaptured.emailAt.clear();
            }
            std::thread other([&] { detailSide(b, jb, fields, cancel); });
            detailSide(a, ja, fields, cancel);
            other.join();
        }
    }
    captured = Captured();
    if (!ja.status.ok())
        return ja.status.error();
    if (!jb.status.ok())
        return jb.status.error();
    if (cancel && cancel->load())
        return cancelled();

    for (size_t k = 0; k < ja.wanted.size(); ++k) {
        DiffRow &r = rows[ja.wanted[k].second];
        r.emailOffset = ja.emailAt[k].first;
        r.emailLength = quint16(ja.emailAt[k].second);
    }
    for (size_t k = 0; k < jb.wanted.size(); ++k) {
        DiffRow &r = rows[jb.wanted[k].second];
        if (r.emailFromTarget) {
            r.emailOffset = jb.emailAt[k].first;
            r.emailLength = quint16(jb.emailAt[k].second);
        }
    }
    for (size_t r = 0; r < rows.size(); ++r) {
        const qint32 slot = hashSlot[r];
        if (slot < 0)
            continue;
        const quint64 *x = ja.fieldHashes.data() + size_t(slot) * size_t(fields);
        const quint64 *y = jb.fieldHashes.data() + size_t(slot) * size_t(fields);
        for (int f = 0; f < fields; ++f) {
            if (x[f] != y[f]) {
                rows[r].fieldMask |= quint64(1) << f;
                ++s.changedByField[f];
            }
        }
    }
    std::vector<qint32>().swap(hashSlot);
    result.m_sourceEmails = std::move(ja.emails);
    result.m_targetEmails = std::move(jb.emails);

    qCDebug(lcIntegrity) << "details in" << clock.elapsed() << "ms";
    // Listing order: by kind, then as the files have them.
    std::stable_sort(rows.begin(), rows.end(), [](const DiffRow &x, const DiffRow &y) {
        if (x.kind != y.kind)
            return x.kind < y.kind;
        const quint64 lx = x.emailFromTarget ? x.targetLocator : x.sourceLocator;
        const quint64 ly = y.emailFromTarget ? y.targetLocator : y.sourceLocator;
        return lx < ly;
    });
    for (size_t k = 0, r = 0; k <= DiffKinds::kAll.size(); ++k) {
        while (r < rows.size() && size_t(rows[r].kind) < k)
            ++r;
        result.m_kindBegin[k] = qsizetype(r);
    }
    result.m_source = std::move(input.source);
    result.m_target = std::move(input.target);
    result.m_sourceColumns = a.columns;
    result.m_targetColumns = b.columns;
    qCInfo(lcIntegrity) << "compared" << s.sourceRecords << "with" << s.targetRecords << "records:" << rows.size()
                        << "differences";
    if (progress)
        progress(DiffProgress{DiffProgress::Phase::Done, s.sourceRecords, s.targetRecords});
    return result;
}

// The suppressions wave and the subscriber waves: TransferEngine::runWave().

#include "connectors/connectorfactory.h"
#include "transfer/backupcontactstream.h"
#include "transfer/contacttranslator.h"
#include "transfer/transferengine.h"
#include "transfer/transferengine_p.h"
#include "transfer/transfermemo.h"
#include "transfer/waveassignment.h"

#include <QLocale>
#include <QSemaphore>
#include <QSet>

#include <deque>

using namespace Qt::StringLiterals;
using namespace TransferEngineDetail;

namespace {

/// One contact of the wave as the engine sends it (or why it is not sent).
struct WaveItem
{
    QString key; ///< the journal's normalised email
    TargetContact contact;
    std::optional<WriteFailure> rejected;
};

enum class Flow { Go, Stop };

constexpr qsizetype kSampleFailures = 50;

} // namespace

Result<StageOutcome> TransferEngine::runWave(Context &ctx)
{
    const StageRef ref = ctx.request.ref;
    const int wave = ref.stage == u"suppressions"_s ? 0 : ref.wave;
    const bool dry = ctx.request.dryRun;
    const TargetPlatform platform = m_config.target.platform;
    const QString platformName = TargetPlatforms::displayName(platform);
    StageOutcome out;
    out.ref = ref;
    out.dryRun = dry;

    const Result<QString> folder = ctx.verifiedFolder.isEmpty() ? verifiedBackup(ctx.journal)
                                                                 : Result<QString>(ctx.verifiedFolder);
    if (!folder)
        return folder.error();
    QString listId;
    if (!dry) {
        const std::optional<TransferRun> setup = latestRun(ctx.journal, StageRef{u"setup"_s, 0});
        listId = setup ? setup->counts.value(u"detail"_s).toString() : QString();
        if (listId.isEmpty())
            return Error(tr("The initial setup did not record the list on %1.").arg(platformName),
                         QString(), tr("Run the Initial setup stage again."));
    }
    const Result<QList<FieldDefinition>> fields = BackupContactStream::fields(*folder);
    if (!fields)
        return fields.error();
    const ContactTranslator translator(platform, m_config.mapping, *fields);

    // The run: a finished one is left alone; an interrupted, cancelled or failed one continues.
    bool continuing = false;
    if (!dry) {
        if (const std::optional<TransferRun> previous = latestRun(ctx.journal, ref)) {
            if (previous->state == RunState::Finished) {
                StageOutcome done = StageOutcome::fromRun(*previous);
                done.message = tr("Already finished; nothing to do.");
                return done;
            }
            out.runId = previous->id;
            continuing = true;
            if (Status s = ctx.journal.finishRun(out.runId, RunState::Running, previous->counts); !s)
                return s.error();
            ctx.log(tr("Continuing the run started %1: what it wrote is not sent again.")
                        .arg(QLocale().toString(previous->startedAt.toLocalTime(), QLocale::ShortFormat)));
        }
    }
    if (!out.runId) {
        Result<qint64> runId = ctx.journal.beginRun(ref.stage, wave, dry);
        if (!runId)
            return runId.error();
        out.runId = *runId;
    }
    bool counted = false; // the wave's contacts are known (pass 1 done)
    const auto stopWith = [&](RunState state, const QString &message) -> Result<StageOutcome> {
        out.state = state;
        out.message = message;
        if (!dry) {
            if (Result<qint64> n = ctx.journal.writtenCount(out.runId))
                out.written = *n;
            if (Result<qint64> n = ctx.journal.failedCount(out.runId))
                out.failed = std::max<qint64>(0, *n - out.notTransferred);
            // Before the wave's contacts are counted nothing says they were all handled: such a
            // run must not look complete (it could otherwise be approved with nothing written).
            out.pending = counted ? std::max<qint64>(0, out.total - out.written - out.failed)
                                  : std::max<qint64>(1, out.total);
        }
        if (Status s = ctx.journal.finishRun(out.runId, state, out.toJson()); !s)
            return s.error();
        return out;
    };
    const QString cancelled = tr("Cancelled. Run the stage again to go on where it stopped.");

    // Pass 1: every contact's wave, from the whole backup (the same backup always gives the same
    // waves, so a resumed run sees the same contacts) — or from the session's memo when an earlier
    // wave assigned this backup with the same plan.
    ctx.progress.phase = tr("Reading the backup");
    ctx.report(true);
    TransferMemo::AssignmentInputs inputs{*folder, {}, m_config.seeds, int(platform)};
    for (const WavePlan &p : m_config.waves)
        inputs.waveSizes.append(p.contacts);
    std::shared_ptr<const WaveAssignmentResult> remembered
        = m_config.memo ? m_config.memo->assignment(inputs) : nullptr;
    if (!remembered) {
        Result<std::optional<WaveAssignmentResult>> made = WaveAssignment::assignBackup(
            *folder, m_config.waves, m_config.seeds, platform, [&] { return ctx.control.isCancelled(); });
        if (!made)
            return stopWith(RunState::Failed, made.error().toString());
        if (!made->has_value())
            return stopWith(RunState::Cancelled, cancelled);
        auto shared = std::make_shared<const WaveAssignmentResult>(std::move(**made));
        if (m_config.memo)
            m_config.memo->setAssignment(inputs, shared);
        remembered = shared;
    }
    const WaveAssignmentResult &assignment = *remembered;
    if (wave < assignment.waves.size()) {
        out.total = assignment.waves.at(wave).contacts;
        out.byStatus = assignment.waves.at(wave).byStatus;
    }
    ctx.progress.total = out.total;
    counted = true;

    // What no wave writes is reported with wave 0, each record with its reason; a second copy
    // of an address is merged into the first (counted, not an error).
    QHash<QString, WriteFailure> notWritten;
    if (wave == 0) {
        for (const WaveRejection &r : std::as_const(assignment.rejected)) {
            if (r.code == u"duplicate"_s) {
                ++out.duplicates;
                continue;
            }
            ++out.notTransferred;
            const QString key = TransferJournal::normalizedEmail(r.email);
            if (!key.isEmpty())
                notWritten.insert(key, WriteFailure{r.email, r.code, r.reason});
            if (dry && out.sampleFailures.size() < kSampleFailures)
                out.sampleFailures.append(RecordFailure{r.email, r.code, r.reason, 0, {}});
        }
        if (out.duplicates)
            ctx.log(tr("%n second copies of an address are merged into their first copy.", nullptr,
                       int(out.duplicates)));
    }

    std::shared_ptr<TargetConnector> target = ConnectorFactory::target(m_config.target, m_client);
    const int batchSize = m_config.batchSize > 0 ? std::min(m_config.batchSize, target->maxBatchSize())
                                                 : target->maxBatchSize();
    ctx.progress.phase = dry ? tr("Checking what would be written")
                             : tr("Writing to %1").arg(platformName);

    // Batches in flight, oldest first: each planned in the journal before it is sent, so a stop
    // leaves them planned and a continued run sends them again. They are journaled as they land,
    // in the order their answers come, and the progress moves only then.
    struct InFlight
    {
        qint64 batchId = 0;
        int seq = 0;
        qint64 handled = 0; ///< records of the batch: its contacts and its failures
        QList<WriteFailure> failures;
        QList<TargetContact> contacts;
        QFuture<Result<BatchResult>> answer;
    };
    std::deque<InFlight> flying;
    // A run that stops with batches in flight leaves them to finish on the network thread; the
    // connector must outlive their answers, so each unfinished one holds it until it is answered.
    // (Answers given up for a resend after Pause count too: they may still be on their way.)
    QList<QFuture<Result<BatchResult>>> givenUp;
    struct KeepConnector
    {
        std::deque<InFlight> &flying;
        QList<QFuture<Result<BatchResult>>> &givenUp;
        std::shared_ptr<TargetConnector> connector;
        ~KeepConnector()
        {
            for (InFlight &b : flying)
                givenUp.append(b.answer);
            for (QFuture<Result<BatchResult>> &answer : givenUp) {
                if (!answer.isFinished())
                    answer.then([keep = connector](const Result<BatchResult> &) { Q_UNUSED(keep) });
            }
        }
    } keepConnector{flying, givenUp, target};
    const int inFlightCap = dry ? 1 : std::max(1, target->maxBatchesInFlight());
    // Each answer, as it comes on the network thread, wakes the engine at once (a poll would see
    // it up to 20 ms later, a slot of the platform's connections idle meanwhile).
    const auto answered = std::make_shared<QSemaphore>();
    const auto send = [&](InFlight &batch) {
        QFuture<Result<BatchResult>> answer = batch.contacts.isEmpty()
            ? Connectors::ready<BatchResult>(BatchResult{})
            : (wave == 0 ? target->writeSuppressions(listId, batch.contacts)
                         : target->upsertContacts(listId, batch.contacts));
        batch.answer = answer.then(QtFuture::Launch::Sync, [answered](Result<BatchResult> r) {
            answered->release();
            return r;
        });
    };
    // The batch in flight whose answer came (the oldest of those), or none.
    const auto firstAnswered = [&]() -> std::optional<size_t> {
        for (size_t i = 0; i < flying.size(); ++i) {
            if (flying[i].answer.isFinished())
                return i;
        }
        return std::nullopt;
    };

    // Waits for an answer to a batch in flight — the first that comes: a batch the platform
    // takes longer over does not hold up the slots of those sent after it — and journals its
    // outcome; Stop ends the run (cancelled or failed).
    const auto land = [&]() -> Flow {
        std::optional<size_t> at;
        for (;;) {
            while (!(at = firstAnswered()) && !ctx.control.stopRequested()) {
                answered->tryAcquire(1, 20);
                ctx.report();
            }
            if (at)
                break;
            if (ctx.holdIfPaused(out.runId, out.toJson())) {
                // Resumed: what was in flight and not yet answered is still planned; send it
                // again (an answer that came meanwhile stands).
                for (InFlight &b : flying) {
                    if (b.answer.isFinished())
                        continue;
                    givenUp.append(b.answer);
                    send(b);
                }
                continue;
            }
            (void)stopWith(RunState::Cancelled, cancelled);
            return Flow::Stop;
        }
        InFlight &batch = flying[*at];
        // Answered, so this does not wait (and a stop asked for now is seen at the next wait).
        auto answer = ConnectorAwait::await(batch.answer, [] { return false; });
        if (const Error *e = std::get_if<Error>(&answer)) {
            (void)stopWith(RunState::Failed,
                           tr("Batch %1 could not be written: %2 Nothing of it is recorded as "
                              "written; run the stage again to send it again.")
                               .arg(batch.seq)
                               .arg(e->toString()));
            return Flow::Stop;
        }
        BatchResult result = std::get<BatchResult>(std::move(answer));
        // One failure per contact (a platform may name one twice), then the batch's outcome.
        QSet<QString> named;
        QList<WriteFailure> unique;
        for (const WriteFailure &f : std::as_const(batch.failures) + result.failed) {
            if (!named.contains(TransferJournal::normalizedEmail(f.email))) {
                named.insert(TransferJournal::normalizedEmail(f.email));
                unique.append(f);
            }
        }
        result.failed = unique;
        result.written = std::max<qint64>(0, batch.handled - unique.size());
        if (Status s = ctx.journal.completeBatch(batch.batchId, result); !s) {
            (void)stopWith(RunState::Failed, s.error().toString());
            return Flow::Stop;
        }
        ctx.progress.written += result.written;
        ctx.progress.failed += unique.size();
        ctx.progress.done += batch.handled;
        QString line = tr("Batch %1: %2 written, %3 rejected").arg(batch.seq).arg(result.written).arg(unique.size());
        if (!result.jobId.isEmpty())
            line += tr(" (job %1)").arg(result.jobId);
        ctx.log(line);
        flying.erase(flying.begin() + qsizetype(*at));
        ctx.report();
        return Flow::Go;
    };

    // Sends one planned batch, first landing the oldest when the target's cap on batches in
    // flight is reached.
    const auto sendBatch = [&](qint64 batchId, int seq, const QList<WaveItem> &items,
                               QList<WriteFailure> failures) -> Flow {
        InFlight batch;
        batch.batchId = batchId;
        batch.seq = seq;
        // The batch's records: its items and the pending emails no longer in the wave.
        batch.handled = items.size() + failures.size();
        for (const WaveItem &item : items) {
            if (item.rejected)
                failures.append(*item.rejected);
            else
                batch.contacts.append(item.contact);
        }
        batch.failures = std::move(failures);
        while (qsizetype(flying.size()) >= inFlightCap) {
            if (land() == Flow::Stop)
                return Flow::Stop;
        }
        ctx.progress.batch = seq;
        ctx.progress.batchSize = int(batch.handled);
        ctx.report();
        send(batch);
        flying.push_back(std::move(batch));
        return Flow::Go;
    };
    const auto landAll = [&]() -> Flow {
        while (!flying.empty()) {
            if (land() == Flow::Stop)
                return Flow::Stop;
        }
        return Flow::Go;
    };

    // Plans the next batch from these items and sends what the run has not written yet.
    QHash<QString, ContactStatus> expected; // what verification reads back: the source status
    const auto flush = [&](QList<WaveItem> &buffer) -> Flow {
        if (buffer.isEmpty())
            return Flow::Go;
        if (dry) {
            for (const WaveItem &item : std::as_const(buffer)) {
                if (item.rejected) {
                    ++out.failed;
                    if (out.sampleFailures.size() < kSampleFailures)
                        out.sampleFailures.append(RecordFailure{item.rejected->email, item.rejected->code,
                                                                item.rejected->message, 0, {}});
                }
            }
            ctx.progress.done += buffer.size();
            ctx.progress.failed = out.failed;
            ctx.report();
            buffer.clear();
            return Flow::Go;
        }
        if (ctx.control.stopRequested() && !ctx.holdIfPaused(out.runId, out.toJson())) {
            (void)stopWith(RunState::Cancelled, cancelled);
            return Flow::Stop;
        }
        QStringList keys;
        keys.reserve(buffer.size());
        for (const WaveItem &item : std::as_const(buffer))
            keys.append(item.key);
        Result<PlannedBatch> planned = ctx.journal.planBatch(out.runId, keys);
        if (!planned) {
            (void)stopWith(RunState::Failed, planned.error().toString());
            return Flow::Stop;
        }
        ctx.progress.done += planned->alreadyWritten.size();
        ctx.progress.written += planned->alreadyWritten.size();
        if (planned->batchId == 0) {
            buffer.clear();
            ctx.report();
            return Flow::Go;
        }
        QList<WaveItem> items;
        if (planned->planned.size() == buffer.size()) {
            // Every item planned (the planned addresses are distinct and among the buffer's):
            // the usual case, without a set of the batch's addresses.
            items = std::move(buffer);
        } else {
            const QSet<QString> send(planned->planned.cbegin(), planned->planned.cend());
            for (WaveItem &item : buffer) {
                if (send.contains(item.key))
                    items.append(std::move(item));
            }
        }
        buffer.clear();
        return sendBatch(planned->batchId, planned->seq, items, {});
    };

    // Batches an earlier attempt planned and never completed: sent again under their own ids.
    QHash<QString, qint64> pendingOf;
    QHash<qint64, QList<WaveItem>> resend;
    QList<PendingBatch> pendingBatches;
    if (continuing) {
        Result<QList<PendingBatch>> pending = ctx.journal.pendingBatches(out.runId);
        if (!pending)
            return stopWith(RunState::Failed, pending.error().toString());
        pendingBatches = *pending;
        for (const PendingBatch &b : std::as_const(pendingBatches)) {
            for (const QString &e : b.emails)
                pendingOf.insert(e, b.batchId);
        }
        if (!pendingBatches.isEmpty())
            ctx.log(tr("%n batches were planned and not completed: they are sent again.", nullptr,
                       int(pendingBatches.size())));
    }

    // Wave 0 journals what no wave writes, so that the error report lists it.
    if (!dry && !notWritten.isEmpty()) {
        QList<WaveItem> buffer;
        for (auto it = notWritten.cbegin(); it != notWritten.cend(); ++it) {
            if (!pendingOf.contains(it.key()))
                buffer.append(WaveItem{it.key(), {}, it.value()});
        }
        // Not counted as progress of the wave: these are not among its contacts.
        const qint64 done = ctx.progress.done, failed = ctx.progress.failed;
        for (qsizetype at = 0; at < buffer.size(); at += batchSize) {
            QList<WaveItem> part = buffer.mid(at, batchSize);
            if (flush(part) == Flow::Stop)
                return out;
        }
        if (landAll() == Flow::Stop)
            return out;
        ctx.progress.done = done;
        ctx.progress.failed = failed;
    }

    // Pass 2: the wave's contacts, translated, in batches.
    BackupContactStream stream(*folder);
    if (Status s = stream.open(); !s)
        return stopWith(RunState::Failed, s.error().toString());
    QList<WaveItem> buffer;
    for (qsizetype i = 0;; ++i) {
        if (i >= assignment.waveOf.size() || assignment.waveOf.at(i) != wave) {
            // Another wave's contact: its line is passed over, not parsed.
            Result<bool> skipped = stream.skip();
            if (!skipped)
                return stopWith(RunState::Failed, skipped.error().toString());
            if (!*skipped)
                break;
            continue;
        }
        Result<std::optional<SourceContact>> next = stream.next();
        if (!next)
            return stopWith(RunState::Failed, next.error().toString());
        if (!next->has_value())
            break;
        const SourceContact &c = **next;
        WaveItem item;
        item.key = TransferJournal::normalizedEmail(c.email);
        Result<TargetContact> translated = translator.translate(c);
        if (!translated) {
            item.rejected = WriteFailure{c.email,
                                         translated.error().code.isEmpty() ? u"invalid_value"_s
                                                                           : translated.error().code,
                                         translated.error().summary()};
        } else {
            for (auto f = translated->fields.cbegin(); f != translated->fields.cend(); ++f) {
                if (!f.value().isNull())
                    ++out.fieldsFilled[f.key()];
            }
            if (!dry && m_config.verify == VerifyMode::ReadBack)
                expected.insert(item.key, c.status);
            item.contact = std::move(translated).value();
        }
        if (const auto p = pendingOf.constFind(item.key); p != pendingOf.cend()) {
            resend[p.value()].append(std::move(item));
            continue;
        }
        buffer.append(std::move(item));
        if (buffer.size() >= batchSize && flush(buffer) == Flow::Stop)
            return out;
    }
    if (flush(buffer) == Flow::Stop)
        return out;
    for (const PendingBatch &b : std::as_const(pendingBatches)) {
        QList<WaveItem> items = resend.take(b.batchId);
        QSet<QString> found;
        for (const WaveItem &item : std::as_const(items))
            found.insert(item.key);
        QList<WriteFailure> gone;
        for (const QString &e : b.emails) {
            if (found.contains(e))
                continue;
            gone.append(notWritten.value(e, WriteFailure{e, u"not_in_wave"_s,
                                                         tr("No longer in this wave of the backup.")}));
        }
        if (sendBatch(b.batchId, b.seq, items, gone) == Flow::Stop)
            return out;
    }
    if (landAll() == Flow::Stop)
        return out;

    if (dry) {
        out.state = RunState::Finished;
        out.written = 0;
        out.message = out.failed
            ? tr("%n records would be rejected; the first are listed.", nullptr, int(out.failed))
            : QString();
        ctx.progress.done = out.total;
        ctx.report(true);
        if (Status s = ctx.journal.finishRun(out.runId, RunState::Finished, out.toJson()); !s)
            return s.error();
        return out;
    }

    // Verification: read the target back; every contact written is there, none more subscribed.
    if (Result<qint64> n = ctx.journal.writtenCount(out.runId))
        out.written = *n;
    if (Result<qint64> n = ctx.journal.failedCount(out.runId))
        out.failed = std::max<qint64>(0, *n - out.notTransferred);
    out.pending = std::max<qint64>(0, out.total - out.written - out.failed);
    if (m_config.verify == VerifyMode::ReadBack) {
        ctx.progress.phase = tr("Verifying on %1").arg(platformName);
        ctx.report(true);
        for (qint64 offset = 0;; offset += 1000) {
            Result<QList<RecordFailure>> page = ctx.journal.failures(out.runId, offset, 1000);
            if (!page)
                return stopWith(RunState::Failed, page.error().toString());
            for (const RecordFailure &f : std::as_const(page.value()))
                expected.remove(f.email);
            if (page->size() < 1000)
                break;
        }
        // Klaviyo keeps only the subscribers in the list; the others are profiles of the account.
        const QString scope = platform == TargetPlatform::Klaviyo ? QString() : listId;
        qint64 found = 0, violations = 0;
        ContactQuery query;
        do {
            auto answer = ctx.wait(target->readContacts(scope, query));
            if (std::holds_alternative<AwaitCancelled>(answer)) {
                if (ctx.holdIfPaused(out.runId, out.toJson()))
                    continue;
                return stopWith(RunState::Cancelled, cancelled);
            }
            if (const Error *e = std::get_if<Error>(&answer))
                return stopWith(RunState::Failed,
                                tr("The wave could not be verified: %1 Run the stage again to verify it.")
                                    .arg(e->toString()));
            const TargetContactPage page = std::get<TargetContactPage>(std::move(answer));
            for (const TargetContactRecord &r : page.contacts) {
                const auto it = expected.constFind(TransferJournal::normalizedEmail(r.email));
                if (it == expected.cend())
                    continue;
                ++found;
                const ContactStatus onTarget = ConsentMapping::statusOnTarget(r.state);
                if (ConsentMapping::isConsentViolation(*it, onTarget)) {
                    if (++violations <= 10)
                        ctx.log(tr("Consent violation: %1 is %2 on the source and %3 on %4.")
                                    .arg(r.email, ContactStatuses::displayName(*it),
                                         ContactStatuses::displayName(onTarget), platformName));
                }
            }
            query.cursor = page.next;
        } while (!query.cursor.isEmpty());
        out.foundOnTarget = found;
        out.missingOnTarget = expected.size() - found;
        out.consentViolations = violations;
        out.verified = out.missingOnTarget == 0 && violations == 0;
    }

    ctx.progress.done = out.total;
    ctx.report(true);
    const QLocale l;
    if (out.consentViolations > 0)
        return stopWith(RunState::Failed,
                        tr("%1 contacts are more subscribed on %2 than on the source. The stage stops "
                           "here: see the log and stop mailing from %2 until this is understood.")
                            .arg(l.toString(out.consentViolations), platformName));
    if (out.failed > 0)
        return stopWith(RunState::Failed,
                        tr("%1 records were rejected (see the error report). Fix the mapping and run "
                           "the stage again to retry them, or approve the wave with a comment.")
                            .arg(l.toString(out.failed)));
    if (out.missingOnTarget > 0)
        return stopWith(RunState::Failed,
                        tr("%1 contacts written are not on %2 when it is read back. Run the stage "
                           "again to verify again.")
                            .arg(l.toString(out.missingOnTarget), platformName));
    out.state = RunState::Finished;
    if (Status s = ctx.journal.finishRun(out.runId, RunState::Finished, out.toJson()); !s)
        return s.error();
    return out;
}

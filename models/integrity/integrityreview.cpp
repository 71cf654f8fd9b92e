#include "integrity/integrityreview.h"

#include "connectors/connectioncontroller.h"
#include "connectors/transport/networkthread.h"
#include "core/queued.h"
#include "integrity/integrityreview_p.h"
#include "plan/fieldmappingcontroller.h"
#include "store/projectstore.h"
#include "transfer/transfercontroller.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcReview, "stagecoach.integrity.review")

IntegrityReview::IntegrityReview(ProjectStore *store, ConnectionController *connections,
                                 TransferController *transfer, FieldMappingController *mapping,
                                 QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_connections(connections)
    , m_transfer(transfer)
    , m_mapping(mapping)
{
    qRegisterMetaType<DiffProgress>();
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(u"review"_s);
    connect(&m_watcher, &QFutureWatcher<Result<ReviewDiff>>::finished, this,
            &IntegrityReview::onWorkerFinished);
}

IntegrityReview::~IntegrityReview()
{
    m_cancel.store(true);
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
    m_pool.waitForDone();
}

bool IntegrityReview::reviewStage(const StageRef &ref)
{
    if (m_runningKey || m_starting)
        return false;
    auto job = std::make_shared<Job>();
    job->key = ref.id();
    job->isStage = true;
    job->ref = ref;
    job->projectPath = m_store->path();
    if (!reviewable(ref)) {
        Q_EMIT failed(
            job->key,
            Error(tr("%1 writes no contacts: it has no integrity review.").arg(ref.title())));
        return true;
    }
    if (m_transfer->runningStage() && *m_transfer->runningStage() == ref) {
        Q_EMIT failed(job->key, Error(tr("%1 is still running.").arg(ref.title()), QString(),
                                      tr("Review it once it has ended.")));
        return true;
    }
    const std::optional<TargetPlatform> target = m_mapping->target();
    if (!target) {
        Q_EMIT failed(job->key, Error(tr("Choose the target platform first.")));
        return true;
    }
    job->rows = m_mapping->rows();
    m_starting = true;
    m_connections->settings(
        *target,
        [this, job](Result<ConnectionSettings> settings) {
            m_starting = false;
            if (!settings) {
                Q_EMIT failed(job->key, settings.error());
                return;
            }
            job->target = *settings;
            launch(job);
        },
        this);
    return true;
}

bool IntegrityReview::compareFiles(const QString &source, const QString &target,
                                   const QString &mappingFile)
{
    if (m_runningKey || m_starting)
        return false;
    auto job = std::make_shared<Job>();
    job->key = kFilesKey.toString();
    job->sourcePath = source;
    job->targetPath = target;
    job->mappingFile = mappingFile;
    launch(job);
    return true;
}

void IntegrityReview::launch(std::shared_ptr<Job> job)
{
    if (job->isStage) {
        if (!m_network)
            m_network = std::make_unique<NetworkThread>();
        job->client = &m_network->client();
    }
    m_runningKey = job->key;
    m_cancel.store(false);
    m_progress = DiffProgress{};
    const DiffEngine::ProgressHandler progress = queuedTo(this, [](IntegrityReview *self, const DiffProgress &p) {
        self->m_progress = p;
        Q_EMIT self->progressChanged(p);
    });
    m_watcher.setFuture(QtConcurrent::run(
        &m_pool, [job, progress, cancel = &m_cancel] { return work(*job, *cancel, progress); }));
    Q_EMIT started(job->key);
}

void IntegrityReview::cancel()
{
    m_cancel.store(true);
}

void IntegrityReview::onWorkerFinished()
{
    const QString key = m_runningKey.value_or(QString());
    m_runningKey.reset();
    const QFuture<Result<ReviewDiff>> future = m_watcher.future();
    if (future.resultCount() == 0) {
        Q_EMIT failed(key, Error(tr("The comparison stopped without an answer.")));
        return;
    }
    const Result<ReviewDiff> diff = future.result();
    if (!diff) {
        qCInfo(lcReview) << "comparison" << key << "failed:" << diff.error().toString();
        Q_EMIT failed(key, diff.error());
        return;
    }
    m_diffs.insert(key, *diff);
    Q_EMIT finished(key);
}

std::optional<ReviewDiff> IntegrityReview::diff(const QString &key) const
{
    const auto it = m_diffs.constFind(key);
    if (it == m_diffs.cend())
        return std::nullopt;
    return *it;
}

QJsonObject IntegrityReview::figures(const ReviewDiff &diff)
{
    QJsonObject o = diff.result ? diff.result->summary.toJson() : QJsonObject();
    o.insert(u"scope"_s, diff.scope);
    o.insert(u"madeAt"_s, diff.madeAt.toUTC().toString(Qt::ISODate));
    return o;
}

Status IntegrityReview::checkReviewed(const StageRef &ref, const ReviewDiff **out) const
{
    const auto it = m_diffs.constFind(ref.id());
    if (it == m_diffs.cend() || !it->result)
        return Error(tr("%1 has not been compared with the target yet.").arg(ref.title()),
                     QString(), tr("Compare it first (Review integrity), then decide."));
    const StageStatus status = m_transfer->status(ref);
    if (status.lastRun
        && (status.lastRun->id != it->scope.value(u"runId"_s).toInteger()
            || status.lastRun->finishedAt.toUTC().toString(Qt::ISODateWithMs)
                != it->scope.value(u"runFinishedAt"_s).toString()))
        return Error(tr("%1 ran again after it was compared.").arg(ref.title()), QString(),
                     tr("Compare it again, then decide."));
    *out = &*it;
    return Status::success();
}

Status IntegrityReview::approve(const StageRef &ref, const QString &who, const QString &comment)
{
    const ReviewDiff *diff = nullptr;
    if (Status s = checkReviewed(ref, &diff); !s)
        return s;
    const DiffSummary &sum = diff->result->summary;
    const QLocale l;
    if (sum.consentViolations > 0)
        return Error(
            sum.consentViolations == 1
                ? tr("1 contact is more subscribed on the target than on the source: %1 cannot be "
                     "approved.")
                      .arg(ref.title())
                : tr("%1 contacts are more subscribed on the target than on the source: %2 cannot "
                     "be "
                     "approved.")
                      .arg(l.toString(sum.consentViolations), ref.title()),
            QString(), tr("Correct them on the target, compare again, then approve."));
    if ((sum.missing > 0 || sum.changed > 0) && comment.trimmed().isEmpty())
        return Error(tr("Contacts are missing (%1) or differ (%2) on the target.")
                         .arg(l.toString(sum.missing), l.toString(sum.changed)),
                     QString(), tr("Say in the comment why the differences are accepted."));
    // The review first, so that an approved run always has its review: a refused approval
    // (TransferController's own rules) takes the review back.
    qint64 id = 0;
    if (Status s = record(ref, *diff, ReviewDecision::Approved, who, comment, &id); !s)
        return s;
    if (Status s = m_transfer->approve(ref, who, comment); !s) {
        if (Status removed = ReviewStore(m_store->database()).remove(id); !removed)
            qCWarning(lcReview) << "a refused approval's review stays recorded:"
                                << removed.error().toString();
        Q_EMIT reviewsChanged();
        return s;
    }
    return Status::success();
}

Status IntegrityReview::reject(const StageRef &ref, const QString &who, const QString &comment)
{
    const ReviewDiff *diff = nullptr;
    if (Status s = checkReviewed(ref, &diff); !s)
        return s;
    if (comment.trimmed().isEmpty())
        return Error(tr("A rejection needs a comment."), QString(),
                     tr("Say what is wrong, so that it can be put right."));
    return record(ref, *diff, ReviewDecision::Rejected, who, comment);
}

Status IntegrityReview::record(const StageRef &ref, const ReviewDiff &diff, ReviewDecision decision,
                               const QString &who, const QString &comment, qint64 *id)
{
    ReviewRecord r;
    r.stage = ref.id();
    r.runId = diff.scope.value(u"runId"_s).toInteger();
    r.reviewer = who;
    r.reviewedAt = QDateTime::currentDateTimeUtc();
    r.decision = decision;
    r.comment = comment.trimmed();
    r.figures = figures(diff);
    ReviewStore store(m_store->database());
    if (Status s = store.add(r); !s)
        return s;
    if (id)
        *id = r.id;
    qCInfo(lcReview) << "review of" << r.stage << ReviewRecord::decisionKey(decision);
    Q_EMIT reviewsChanged();
    return Status::success();
}

QList<ReviewRecord> IntegrityReview::reviews(const QString &stage) const
{
    Result<QList<ReviewRecord>> r = ReviewStore(m_store->database()).reviews(stage);
    return r ? *r : QList<ReviewRecord>();
}

// BrevoConnector's contact writes: POST /contacts/import with a jsonBody, GET /processes/{id}
// until completed, then the contacts read back (esp-apis.md 2.4). getProcess says nothing about
// rejected rows, so the read-back decides what was written: every contact handed in ends up
// counted in written or named in failed.
#include "connectors/brevo/brevoimport_p.h"

#include "connectors/brevo/brevojson.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPromise>
#include <QSet>

Q_LOGGING_CATEGORY(lcBrevo, "stagecoach.connectors.brevo", QtWarningMsg)

using namespace Qt::StringLiterals;
using namespace BrevoInternal;
using namespace BrevoImport;

namespace BrevoImport {
namespace {

/// Read-back window before the import started: Brevo's clock may be behind ours.
constexpr qint64 kClockSkewSecs = qint64(15) * 60;
/// What a jsonBody may hold besides the rows (the other fields of the request).
constexpr qsizetype kEnvelopeBytes = 4096;

QByteArray rowJson(const TargetContact &c)
{
    QJsonObject attributes;
    for (auto it = c.fields.cbegin(); it != c.fields.cend(); ++it) {
        const QJsonValue v = BrevoJson::attributeValue(it.value());
        if (!v.isUndefined())
            attributes.insert(it.key().toUpper(), v);
    }
    // Evidence from ConsentMapping (only values the source has; absent ones leave the target's).
    for (const EvidenceValue &e : c.write.attributes) {
        const QJsonValue v = BrevoJson::attributeValue(e.value);
        if (!v.isUndefined())
            attributes.insert(e.name.toUpper(), v);
    }
    QJsonObject row{{u"email"_s, c.email.trimmed()}};
    if (!attributes.isEmpty())
        row.insert(u"attributes"_s, attributes);
    return QJsonDocument(row).toJson(QJsonDocument::Compact);
}

QByteArray importBody(const Chunk &chunk)
{
    QByteArray rows = "[";
    for (qsizetype i = 0; i < chunk.rows.size(); ++i) {
        if (i > 0)
            rows += ',';
        rows += chunk.rows.at(i);
    }
    rows += ']';
    QJsonObject body{{u"listIds"_s, QJsonArray{chunk.listId}},
                     {u"updateExistingContacts"_s, true},
                     {u"emptyContactsAttributes"_s, false},
                     {u"disableNotification"_s, true}};
    // No notifyUrl: a desktop app has no address Brevo could call, so the process is polled.
    // disableNotification: no "import finished" mail to the account owner per batch.
    // Only ever true: false is the default and is not sent, so no import can be read as lifting
    // a block the target already has (BrevoWrite::emailBlacklisted).
    if (chunk.blacklist)
        body.insert(u"emailBlacklist"_s, true);
    QByteArray out = QJsonDocument(body).toJson(QJsonDocument::Compact);
    out.chop(1); // the closing brace
    return out + ",\"jsonBody\":" + rows + '}';
}

/// Groups the contacts into imports per list and blocklisting, each under the size limit.
void plan(const JobPtr &job, qint64 holdingId)
{
    QHash<QString, int> where; // email -> chunk, so a repeated address is imported once
    const auto add = [&](qint64 list, bool blacklist, const TargetContact &c) {
        const QString email = c.email.trimmed().toLower();
        const QByteArray row = rowJson(c);
        if (const auto it = where.constFind(email); it != where.cend()) {
            Chunk &chunk = job->chunks[*it];
            chunk.rows[chunk.emails.indexOf(email)] = row; // the last one wins
            return;
        }
        qsizetype bytes = 0;
        int target = -1;
        for (int i = int(job->chunks.size()) - 1; i >= 0; --i) {
            const Chunk &ch = job->chunks.at(i);
            if (ch.listId == list && ch.blacklist == blacklist) {
                for (const QByteArray &r : ch.rows)
                    bytes += r.size() + 1;
                target = i;
                break;
            }
        }
        if (target < 0 || bytes + row.size() + kEnvelopeBytes > BrevoConnector::kMaxImportBytes) {
            job->chunks.append(Chunk{list, blacklist, {}, {}, 0, false});
            target = int(job->chunks.size()) - 1;
        }
        job->chunks[target].rows.append(row);
        job->chunks[target].emails.append(email);
        where.insert(email, target);
    };
    for (const TargetContact &c : std::as_const(job->contacts)) {
        if (job->suppressions)
            add(holdingId, true, c); // blocklisted, on no list a campaign uses
        else if (c.write.brevo.marketingList)
            add(job->listId, false, c);
        else
            add(holdingId, false, c);
    }
}

void poll(const JobPtr &job)
{
    Chunk &chunk = job->chunks[job->chunk];
    const SharedPtr &s = job->s;
    ++job->result.requests;
    s->json(s->request("GET", u"/processes/%1"_s.arg(chunk.processId)))
        .then([job](const Result<QJsonObject> &process) {
            if (!process)
                return finishJob(job, process.error());
            const QString status = process->value(u"status"_s).toString();
            if (status == u"completed") {
                job->chunks[job->chunk].finished = true;
                return verify(job);
            }
            if (job->waitedMs >= job->s->giveUpPollMs) {
                // Read back what there is; the rest is reported as not written.
                qCWarning(lcBrevo) << "import process" << job->chunks[job->chunk].processId
                                   << "still" << status << "after" << job->waitedMs << "ms";
                return verify(job);
            }
            const int wait = job->intervalMs;
            job->waitedMs += wait;
            job->intervalMs = std::min(job->intervalMs * 2, job->s->maxPollMs);
            later(job->s, wait, [job] { poll(job); });
        });
}

void startChunk(const JobPtr &job)
{
    Chunk &chunk = job->chunks[job->chunk];
    const SharedPtr &s = job->s;
    job->since = QDateTime::currentDateTimeUtc().addSecs(-kClockSkewSecs);
    job->seen.clear();
    job->missing.clear();
    job->missingAt = 0;
    job->waitedMs = 0;
    job->intervalMs = s->firstPollMs;
    HttpRequest request = s->request("POST", u"/contacts/import"_s, {}, importBody(chunk));
    // An upsert keyed by email: sending it twice changes nothing.
    request.idempotent = true;
    ++job->result.requests;
    s->json(request).then([job](const Result<QJsonObject> &answer) {
        if (!answer)
            return finishJob(job, answer.error());
        Chunk &chunk = job->chunks[job->chunk];
        chunk.processId = answer->value(u"processId"_s).toInteger();
        if (job->result.jobId.isEmpty())
            job->result.jobId = QString::number(chunk.processId);
        else
            job->result.jobId += u',' + QString::number(chunk.processId);
        job->waitedMs += job->intervalMs;
        const int wait = job->intervalMs;
        job->intervalMs = std::min(job->intervalMs * 2, job->s->maxPollMs);
        later(job->s, wait, [job] { poll(job); });
    });
}

/// Plans the imports (with the holding list when one is needed) and starts the first.
void startWrites(const JobPtr &job)
{
    const bool needsHolding
        = job->suppressions
          || std::any_of(job->contacts.cbegin(), job->contacts.cend(),
                         [](const TargetContact &c) { return !c.write.brevo.marketingList; });
    if (!needsHolding) {
        plan(job, 0);
        nextChunk(job);
        return;
    }
    holdingList(job->s, job->listId, true).then([job](const Result<qint64> &holding) {
        if (!holding)
            return finishJob(job, holding.error());
        plan(job, holding.value());
        nextChunk(job);
    });
}

} // namespace

void finishJob(const JobPtr &job, std::optional<Error> error)
{
    if (!error && !job->suppressions && !job->tagsDone) {
        job->tagsDone = true;
        return writeTags(job);
    }
    if (error) {
        job->promise.addResult(*error);
    } else {
        for (const TargetContact &c : std::as_const(job->contacts)) {
            const QString email = c.email.trimmed().toLower();
            if (job->failures.contains(email)) {
                WriteFailure f = job->failures.value(email);
                f.email = c.email;
                job->result.failed.append(f);
            } else {
                ++job->result.written;
            }
        }
        job->promise.addResult(job->result);
    }
    job->promise.finish();
}

void nextChunk(const JobPtr &job)
{
    if (job->chunk >= job->chunks.size())
        return finishJob(job);
    startChunk(job);
}

} // namespace BrevoImport

QFuture<Result<QSet<QString>>> BrevoInternal::knownAttributes(const SharedPtr &s)
{
    {
        QMutexLocker lock(&s->mutex);
        if (s->attributes)
            return Connectors::ready(Result<QSet<QString>>(*s->attributes));
    }
    return s->json(s->request("GET", u"/contacts/attributes"_s))
        .then([s](const Result<QJsonObject> &answer) -> Result<QSet<QString>> {
            if (!answer)
                return answer.error();
            QSet<QString> names;
            for (const QJsonValue &v : answer->value(u"attributes"_s).toArray())
                names.insert(v.toObject().value(u"name"_s).toString().toUpper());
            QMutexLocker lock(&s->mutex);
            s->attributes = names;
            return names;
        });
}

// BatchResult::requests counts the batch's own requests (imports, polls, read-backs, tag list
// adds and their look-ups); the attribute names, the holding list and the tag lists are looked
// up (or created) once per connector and not counted.
QFuture<Result<BatchResult>> BrevoInternal::importBatch(const SharedPtr &s, qint64 listId,
                                                        const QList<TargetContact> &contacts,
                                                        bool suppressions)
{
    auto job = std::make_shared<Job>();
    job->s = s;
    job->listId = listId;
    job->suppressions = suppressions;
    job->promise.start();
    QFuture<Result<BatchResult>> future = job->promise.future();
    if (contacts.size() > BrevoConnector::kMaxBatch) {
        finishJob(job, Error(Tr::tr("Brevo takes at most %1 contacts per batch; %2 were given.")
                                 .arg(BrevoConnector::kMaxBatch)
                                 .arg(contacts.size())));
        return future;
    }
    // Sort out what must not be written before anything is sent.
    for (const TargetContact &c : contacts) {
        const WriteWave wave = c.write.wave;
        const bool right = suppressions
                               ? wave == WriteWave::Suppression && c.write.brevo.emailBlacklisted
                               : (wave == WriteWave::NonMarketable || wave == WriteWave::Subscriber)
                                     && !c.write.brevo.emailBlacklisted;
        if (!right || c.write.platform != TargetPlatform::Brevo) {
            job->result.failed.append(Connectors::wrongWave(c));
        } else if (c.email.trimmed().isEmpty()) {
            job->result.failed.append(
                {c.email, u"invalid_email"_s, Tr::tr("The contact has no email address.")});
        } else {
            job->contacts.append(c);
        }
    }
    if (job->contacts.isEmpty()) {
        finishJob(job);
        return future;
    }
    // Brevo ignores attributes it does not have (importContacts): refuse the batch instead of
    // losing values silently, before anything is sent.
    QSet<QString> names;
    for (const TargetContact &c : std::as_const(job->contacts)) {
        for (auto it = c.fields.cbegin(); it != c.fields.cend(); ++it) {
            if (!it.value().isNull())
                names.insert(it.key().toUpper());
        }
        for (const EvidenceValue &e : c.write.attributes)
            names.insert(e.name.toUpper());
    }
    knownAttributes(s).then([job, names](const Result<QSet<QString>> &known) {
        if (!known)
            return finishJob(job, known.error());
        QStringList missing;
        for (const QString &name : names) {
            if (!known.value().contains(name))
                missing.append(name);
        }
        if (!missing.isEmpty()) {
            missing.sort();
            return finishJob(job, Error(Tr::tr("Brevo has no contact attribute %1; it would drop "
                                               "those values.")
                                            .arg(missing.join(u", "_s)),
                                        {},
                                        Tr::tr("Create the fields first, then send the batch "
                                               "again.")));
        }
        startWrites(job);
    });
    return future;
}

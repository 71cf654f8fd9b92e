// KlaviyoConnector: writing contacts, in phases: the suppressed-on-target check, bulk import
// jobs, bulk suppress, bulk unsubscribe, bulk subscribe (esp-apis.md 3.4, 3.6).
#include "connectors/klaviyo/klaviyoapi.h"
#include "connectors/klaviyo/klaviyoconnector.h"
#include "connectors/klaviyo/klaviyojson.h"

#include "connectors/transport/apierror.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPromise>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using Consent = KlaviyoWrite::Consent;

namespace {

class Tr
{
    Q_DECLARE_TR_FUNCTIONS(KlaviyoWriter)
};

enum class Phase { Start, Lookup, Import, Suppress, Unsubscribe, Subscribe, Done };

struct Run
{
    std::shared_ptr<KlaviyoApi> api;
    QString listId;
    QList<TargetContact> contacts;
    QList<bool> included; ///< handed to this write (right wave)
    QHash<int, WriteFailure> failures;
    QPromise<Result<BatchResult>> promise;
    BatchResult result;
    Phase phase = Phase::Start;
    QList<QList<int>> chunks;
    qsizetype nextChunk = 0;
    QStringList jobIds;
    /// Each imported profile as compact JSON (by contact index; empty for those not imported),
    /// made once when the write starts and used to size the jobs and write their bodies.
    QList<QByteArray> profileJson;

    bool live(int i) const { return included.at(i) && !failures.contains(i); }
    void fail(int i, const QString &code, const QString &message)
    {
        if (!failures.contains(i))
            failures.insert(i, WriteFailure{contacts.at(i).email, code, message});
    }
    /// Indexes of live contacts with this email (lower-cased).
    QList<int> byEmail(const QString &email) const
    {
        QList<int> out;
        for (int i = 0; i < contacts.size(); ++i) {
            if (live(i) && contacts.at(i).email.compare(email, Qt::CaseInsensitive) == 0)
                out.append(i);
        }
        return out;
    }
};
using RunPtr = std::shared_ptr<Run>;
using Step = QFuture<Result<bool>>;

Step done()
{
    return QtFuture::makeReadyFuture(Result<bool>(true));
}

/// A refusal of one chunk (a 4xx other than 429) fails its contacts; anything else (the network,
/// 5xx after the retries) fails the whole write, which may be sent again as it is.
Step chunkFailed(const RunPtr &run, const QList<int> &chunk, const Error &error)
{
    if (error.httpStatus >= 400 && error.httpStatus < 500 && error.httpStatus != 429) {
        for (int i : chunk)
            run->fail(i, error.code.isEmpty() ? u"refused"_s : error.code, error.summary());
        return done();
    }
    return QtFuture::makeReadyFuture(Result<bool>(error));
}

QList<QList<int>> chunked(const QList<int> &items, int size)
{
    QList<QList<int>> out;
    for (qsizetype i = 0; i < items.size(); i += size)
        out.append(items.mid(i, size));
    return out;
}

QList<QList<int>> buildChunks(const RunPtr &run)
{
    const auto select = [&run](auto pred) {
        QList<int> out;
        for (int i = 0; i < run->contacts.size(); ++i) {
            if (run->live(i) && pred(run->contacts.at(i).write.klaviyo))
                out.append(i);
        }
        return out;
    };
    switch (run->phase) {
    case Phase::Lookup:
        return chunked(
            select([](const KlaviyoWrite &k) { return k.consent == Consent::Subscribe; }),
            KlaviyoConnector::emailsPerLookup);
    case Phase::Import: {
        // At most 10,000 profiles and 5 MB per job: the profiles' JSON plus the envelope.
        QList<QList<int>> out;
        QList<int> current;
        qsizetype bytes = 200;
        for (int i : select([](const KlaviyoWrite &k) { return k.importProfile; })) {
            const qsizetype size = run->profileJson.at(i).size() + 1;
            if (size > KlaviyoConnector::maxProfileBytes) {
                run->fail(i, u"profile_too_large"_s,
                          Tr::tr("Not written: the profile with its fields is %1 kB, over the "
                                 "100 kB Klaviyo takes for one profile.")
                              .arg(size / 1000));
                continue;
            }
            if (!current.isEmpty()
                && (current.size() >= KlaviyoConnector::maxImportProfiles
                    || bytes + size > KlaviyoConnector::maxImportBytes)) {
                out.append(current);
                current.clear();
                bytes = 200;
            }
            current.append(i);
            bytes += size;
        }
        if (!current.isEmpty())
            out.append(current);
        return out;
    }
    case Phase::Suppress:
        return chunked(select([](const KlaviyoWrite &k) { return k.consent == Consent::Suppress; }),
                       KlaviyoConnector::maxSuppressProfiles);
    case Phase::Unsubscribe:
        return chunked(
            select([](const KlaviyoWrite &k) { return k.consent == Consent::Unsubscribe; }),
            KlaviyoConnector::maxUnsubscribeProfiles);
    case Phase::Subscribe: {
        // One job has one historical_import and one list: group by both.
        QList<QList<int>> out;
        for (const bool historical : {true, false}) {
            for (const bool toList : {true, false}) {
                out.append(chunked(select([historical, toList](const KlaviyoWrite &k) {
                                       return k.consent == Consent::Subscribe
                                              && k.historicalImport == historical
                                              && k.addToList == toList;
                                   }),
                                   KlaviyoConnector::maxSubscribeProfiles));
            }
        }
        out.removeIf([](const QList<int> &c) { return c.isEmpty(); });
        return out;
    }
    case Phase::Start:
    case Phase::Done:
        break;
    }
    return {};
}

Step lookup(const RunPtr &run, const QList<int> &chunk)
{
    // Subscribing removes UNSUBSCRIBE and USER_SUPPRESSED suppressions (K-spec
    // bulk_subscribe_profiles): whoever is suppressed or unsubscribed on Klaviyo stays so.
    QStringList emails;
    for (int i : chunk)
        emails.append(run->contacts.at(i).email);
    const QUrl url = run->api->url(
        u"profiles"_s, {{u"filter"_s, KlaviyoJson::anyEmail(emails)},
                        {u"page[size]"_s, QString::number(KlaviyoConnector::maxProfilesPage)},
                        {u"additional-fields[profile]"_s, u"subscriptions"_s}});
    ++run->result.requests;
    return run->api->collect(url, KlaviyoApi::Endpoint::profiles())
        .then(QtFuture::Launch::Sync, [run](Result<QList<QJsonObject>> found) -> Result<bool> {
            if (!found)
                return found.error();
            for (const QJsonObject &p : found.value()) {
                const TargetState s = KlaviyoJson::targetState(p, run->listId);
                const bool unsubscribed = s.klaviyoConsent == u"UNSUBSCRIBED";
                if (s.klaviyoSuppressions.isEmpty() && !unsubscribed && !s.klaviyoListSuppressed)
                    continue;
                const QString email
                    = p.value(u"attributes"_s).toObject().value(u"email"_s).toString();
                const QString why = s.klaviyoSuppressions.isEmpty()
                                        ? (unsubscribed ? u"UNSUBSCRIBED"_s : u"list"_s)
                                        : s.klaviyoSuppressions.join(u", "_s);
                for (int i : run->byEmail(email))
                    run->fail(i, u"suppressed_on_target"_s,
                              Tr::tr("Not subscribed: Klaviyo already has this address "
                                     "suppressed or unsubscribed (%1), and subscribing it would "
                                     "lift that.")
                                  .arg(why));
            }
            return true;
        });
}

/// Every import error of a finished job as a WriteFailure of the contact it names.
Step importErrors(const RunPtr &run, const QList<int> &chunk, const QString &jobId)
{
    const QUrl url = run->api->url(u"profile-bulk-import-jobs/%1/import-errors"_s.arg(jobId),
                                   {{u"page[size]"_s, u"100"_s}});
    ++run->result.requests;
    return run->api->collect(url, KlaviyoApi::Endpoint::bulkImport())
        .then(QtFuture::Launch::Sync,
              [run, chunk](Result<QList<QJsonObject>> errors) -> Result<bool> {
                  if (!errors)
                      return errors.error();
                  static const QRegularExpression index(
                      u"^/data/attributes/profiles/data/(\\d+)"_s);
                  for (const QJsonObject &e : errors.value()) {
                      const QJsonObject a = e.value(u"attributes"_s).toObject();
                      const QJsonObject payload = a.value(u"original_payload"_s).toObject();
                      QString email = payload.value(u"email"_s).toString();
                      if (email.isEmpty())
                          email = payload.value(u"attributes"_s)
                                      .toObject()
                                      .value(u"email"_s)
                                      .toString();
                      QList<int> who;
                      const auto m = index.match(
                          a.value(u"source"_s).toObject().value(u"pointer"_s).toString());
                      if (m.hasMatch() && m.captured(1).toInt() < chunk.size())
                          who.append(chunk.at(m.captured(1).toInt()));
                      else if (!email.isEmpty())
                          who = run->byEmail(email);
                      const QString code = a.value(u"code"_s).toString(u"import_error"_s);
                      const QString detail = a.value(u"detail"_s).toString();
                      if (who.isEmpty())
                          qCWarning(lcKlaviyo) << "an import error names no profile of the job";
                      for (int i : who)
                          run->fail(i, code,
                                    Tr::tr("Klaviyo did not import the profile: %1").arg(detail));
                  }
                  return true;
              });
}

Step poll(const RunPtr &run, const QList<int> &chunk, const QString &jobId,
          const QJsonObject &attributes, int waitMs, std::shared_ptr<QElapsedTimer> clock)
{
    const QString status = attributes.value(u"status"_s).toString();
    if (status == u"complete") {
        if (attributes.value(u"failed_count"_s).toInt() > 0)
            return importErrors(run, chunk, jobId);
        return done();
    }
    if (status == u"cancelled" || status == u"failed")
        return chunkFailed(
            run, chunk,
            Error(Tr::tr("Klaviyo's import job %1 ended as \"%2\".").arg(jobId, status)));
    if (clock->elapsed() > run->api->jobTimeoutMs)
        return QtFuture::makeReadyFuture(Result<bool>(
            Error(Tr::tr("Klaviyo's import job %1 did not finish within %2 minutes.")
                      .arg(jobId)
                      .arg(run->api->jobTimeoutMs / 60000),
                  {},
                  Tr::tr("Write the batch again later: importing the same profiles twice "
                         "changes nothing."))));
    auto api = run->api;
    return api->delay(waitMs)
        .then(QtFuture::Launch::Sync,
              [run, chunk, jobId, waitMs, clock]() -> Step {
                  auto api = run->api;
                  ++run->result.requests;
                  const QUrl url = api->url(u"profile-bulk-import-jobs/"_s + jobId);
                  return api->call(api->request("GET", url, KlaviyoApi::Endpoint::bulkImport()))
                      .then(QtFuture::Launch::Sync,
                            [run, chunk, jobId, waitMs, clock](Result<QJsonObject> doc) -> Step {
                                if (!doc)
                                    return QtFuture::makeReadyFuture(Result<bool>(doc.error()));
                                const QJsonObject a = doc->value(u"data"_s)
                                                          .toObject()
                                                          .value(u"attributes"_s)
                                                          .toObject();
                                return poll(run, chunk, jobId, a,
                                            std::min(waitMs * 2, run->api->pollMaxMs), clock);
                            })
                      .unwrap();
              })
        .unwrap();
}

Step import(const RunPtr &run, const QList<int> &chunk)
{
    // The body is bulkJob(u"profile-bulk-import-job"_s, profiles) written out directly: the
    // profiles are already JSON, and nesting up to 10,000 of them in QJsonObjects again only to
    // serialise them cost more than making them.
    QByteArray body = R"({"data":{"type":"profile-bulk-import-job","attributes":{"profiles":{"data":[)"_ba;
    for (int i : chunk) {
        if (body.back() != '[')
            body += ',';
        body += run->profileJson.at(i);
    }
    body += "]}}}}";
    auto api = run->api;
    HttpRequest r = api->request("POST", api->url(u"profile-bulk-import-jobs"_s),
                                 KlaviyoApi::Endpoint::bulkImport());
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/vnd.api+json")});
    r.body = std::move(body);
    r.idempotent = true; // an upsert keyed by email
    ++run->result.requests;
    return api->call(r)
        .then(QtFuture::Launch::Sync,
              [run, chunk](Result<QJsonObject> doc) -> Step {
                  if (!doc)
                      return chunkFailed(run, chunk, doc.error());
                  const QJsonObject data = doc->value(u"data"_s).toObject();
                  const QString jobId = data.value(u"id"_s).toString();
                  if (jobId.isEmpty())
                      return QtFuture::makeReadyFuture(Result<bool>(
                          Error(Tr::tr("Klaviyo accepted an import job without naming it."),
                                u"POST /api/profile-bulk-import-jobs"_s)));
                  run->jobIds.append(jobId);
                  auto clock = std::make_shared<QElapsedTimer>();
                  clock->start();
                  return poll(run, chunk, jobId, data.value(u"attributes"_s).toObject(),
                              run->api->pollStartMs, clock);
              })
        .unwrap();
}

Step consentJob(const RunPtr &run, const QList<int> &chunk)
{
    QString type;
    QString endpoint;
    QByteArray profiles; // consentProfileJson()s, joined by commas
    QJsonObject attributes;
    QJsonObject relationships;
    for (int i : chunk) {
        const TargetContact &c = run->contacts.at(i);
        if (!profiles.isEmpty())
            profiles += ',';
        switch (run->phase) {
        case Phase::Suppress:
            profiles += KlaviyoJson::consentProfileJson(c.email);
            break;
        case Phase::Unsubscribe:
            profiles += KlaviyoJson::consentProfileJson(c.email, u"UNSUBSCRIBED"_s);
            break;
        default:
            profiles += KlaviyoJson::consentProfileJson(c.email, u"SUBSCRIBED"_s,
                                                        c.write.klaviyo.consentedAt);
        }
    }
    if (run->phase == Phase::Suppress) {
        type = u"profile-suppression-bulk-create-job"_s;
        endpoint = KlaviyoApi::Endpoint::suppress();
    } else if (run->phase == Phase::Unsubscribe) {
        // No list: "profiles not in the specified list will be globally unsubscribed" (3.6).
        type = u"profile-subscription-bulk-delete-job"_s;
        endpoint = KlaviyoApi::Endpoint::unsubscribe();
    } else {
        const KlaviyoWrite &k = run->contacts.at(chunk.first()).write.klaviyo;
        type = u"profile-subscription-bulk-create-job"_s;
        endpoint = KlaviyoApi::Endpoint::subscribe();
        attributes.insert(u"custom_source"_s, u"Stagecoach migration"_s);
        attributes.insert(u"historical_import"_s, k.historicalImport);
        if (k.addToList && !run->listId.isEmpty())
            relationships.insert(u"list"_s, KlaviyoJson::relationship(u"list"_s, run->listId));
    }
    auto api = run->api;
    HttpRequest r = api->request("POST", api->url(type + u's'), endpoint);
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/vnd.api+json")});
    r.body = KlaviyoJson::bulkJobJson(type, profiles, attributes, relationships);
    r.idempotent = true; // the same consent written again changes nothing
    ++run->result.requests;
    return api->call(r)
        .then(QtFuture::Launch::Sync,
              [run, chunk](Result<QJsonObject> doc) -> Step {
                  if (!doc)
                      return chunkFailed(run, chunk, doc.error());
                  const QString id = doc->value(u"data"_s).toObject().value(u"id"_s).toString();
                  if (!id.isEmpty())
                      run->jobIds.append(id);
                  return done();
              })
        .unwrap();
}

void finish(const RunPtr &run, Result<BatchResult> r)
{
    run->promise.addResult(std::move(r));
    run->promise.finish();
}

void advance(const RunPtr &run)
{
    while (run->nextChunk >= run->chunks.size()) {
        run->phase = Phase(int(run->phase) + 1);
        if (run->phase == Phase::Done) {
            BatchResult &b = run->result;
            for (int i = 0; i < run->contacts.size(); ++i) {
                if (run->failures.contains(i))
                    b.failed.append(run->failures.value(i));
                else
                    ++b.written;
            }
            b.jobId = run->jobIds.join(u',');
            finish(run, b);
            return;
        }
        run->chunks = buildChunks(run);
        run->nextChunk = 0;
    }
    const QList<int> chunk = run->chunks.at(run->nextChunk++);
    Step step;
    switch (run->phase) {
    case Phase::Lookup:
        step = lookup(run, chunk);
        break;
    case Phase::Import:
        step = import(run, chunk);
        break;
    default:
        step = consentJob(run, chunk);
        break;
    }
    step.then(QtFuture::Launch::Sync, [run](Result<bool> r) {
        if (!r) {
            finish(run, r.error());
            return;
        }
        advance(run);
    });
}

} // namespace

QFuture<Result<BatchResult>> KlaviyoConnector::write(const QString &listId,
                                                     const QList<TargetContact> &contacts,
                                                     bool suppressionWave)
{
    auto run = std::make_shared<Run>();
    run->api = m_api;
    run->listId = listId;
    run->contacts = contacts;
    for (int i = 0; i < contacts.size(); ++i) {
        const ContactWrite &w = contacts.at(i).write;
        const bool rightWave = suppressionWave ? w.wave == WriteWave::Suppression
                                               : (w.wave == WriteWave::NonMarketable
                                                  || w.wave == WriteWave::Subscriber);
        run->included.append(rightWave);
        if (!rightWave) {
            run->failures.insert(i, Connectors::wrongWave(contacts.at(i)));
            continue;
        }
        if (w.platform != TargetPlatform::Klaviyo)
            run->fail(i, u"wrong_platform"_s,
                      tr("Not written: the consent decision was made for %1, not Klaviyo.")
                          .arg(TargetPlatforms::displayName(w.platform)));
        else if (w.triggersDoubleOptIn())
            run->fail(i, u"double_opt_in"_s,
                      tr("Not written: subscribing without a historical import could send a "
                         "confirmation mail."));
        else if (w.klaviyo.consent == Consent::Subscribe
                 && (!w.klaviyo.consentedAt.isValid()
                     || w.klaviyo.consentedAt > QDateTime::currentDateTimeUtc()))
            run->fail(i, u"no_consent_time"_s,
                      tr("Not subscribed: a historical import needs a consent time in the past."));
    }
    // The import profiles' JSON is made here, on the caller's thread (the engine's, which does
    // the bulk work): made when the jobs were sized, on the network thread, it was half of that
    // thread's work in a wave, and the answers to every other batch in flight waited behind it.
    run->profileJson.resize(contacts.size());
    for (int i = 0; i < contacts.size(); ++i) {
        if (run->live(i) && contacts.at(i).write.klaviyo.importProfile)
            run->profileJson[i] = KlaviyoJson::importProfileJson(contacts.at(i));
    }
    run->promise.start();
    QFuture<Result<BatchResult>> future = run->promise.future();
    advance(run);
    return future;
}

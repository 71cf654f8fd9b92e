// BrevoConnector: requests, JSON answers, paging, the account.
#include "connectors/brevo/brevoconnector.h"
#include "connectors/transport/jsonreply.h"

#include "connectors/brevo/brevojson.h"
#include "connectors/transport/apierror.h"
#include "connectors/transport/httpclient.h"

#include <QJsonDocument>
#include <QPromise>

using namespace Qt::StringLiterals;

namespace {

/// The rate class of a path (RateLimiter::withPlatformDefaults, esp-apis.md 2.1).
QString endpointClass(const QString &path)
{
    if (path == u"/contacts" || path.startsWith(u"/contacts/"))
        return u"contacts"_s;
    if (path.startsWith(u"/smtp/blockedContacts"))
        return u"smtpBlockedContacts"_s;
    if (path.startsWith(u"/smtp/"))
        return u"smtp"_s;
    return {};
}

struct CollectState
{
    QPromise<Result<QJsonArray>> promise;
    QJsonArray items;
    QString path;
    QUrlQuery query;
    QString key;
    int limit = 0;
};

void collectFrom(std::shared_ptr<const BrevoConnector::Shared> shared,
                 std::shared_ptr<CollectState> st, qint64 offset)
{
    QUrlQuery q = st->query;
    q.addQueryItem(u"limit"_s, QString::number(st->limit));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    shared->json(shared->request("GET", st->path, q))
        .then([shared, st, offset](Result<QJsonObject> page) {
            if (!page) {
                st->promise.addResult(page.error());
                st->promise.finish();
                return;
            }
            const QJsonArray items = page->value(st->key).toArray();
            for (const QJsonValue &v : items)
                st->items.append(v);
            const qint64 count = page->value(u"count"_s).toInteger(-1);
            const qint64 next = offset + items.size();
            // A short page ends the listing, so does reaching the count when Brevo gives one.
            if (items.size() < st->limit || items.isEmpty() || (count >= 0 && next >= count)) {
                st->promise.addResult(st->items);
                st->promise.finish();
                return;
            }
            collectFrom(shared, st, next);
        });
}

} // namespace

QString BrevoConnector::holdingListName(const QString &listName)
{
    return listName + u" — do not mail"_s;
}

QString BrevoConnector::folderName()
{
    return u"Stagecoach migration"_s;
}

BrevoConnector::BrevoConnector(const ConnectionSettings &settings, HttpClient &client)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->client = &client;
    m_shared->apiKey = settings.apiKey.toUtf8();
    m_shared->baseUrl
        = settings.baseUrl.isEmpty() ? QUrl(u"https://api.brevo.com/v3"_s) : settings.baseUrl;
}

BrevoConnector::~BrevoConnector() = default;

void BrevoConnector::setPolling(int firstMs, int maxMs, int giveUpMs)
{
    m_shared->firstPollMs = std::max(1, firstMs);
    m_shared->maxPollMs = std::max(m_shared->firstPollMs, maxMs);
    m_shared->giveUpPollMs = std::max(0, giveUpMs);
}

void BrevoConnector::setRequestTimeout(int ms)
{
    m_shared->timeoutMs = std::max(0, ms);
}

HttpRequest BrevoConnector::Shared::request(const QByteArray &method, const QString &path,
                                            const QUrlQuery &query, const QByteArray &body) const
{
    HttpRequest r;
    r.method = method;
    QUrl url = baseUrl;
    QString root = url.path();
    if (root.endsWith(u'/'))
        root.chop(1);
    url.setPath(root + path);
    if (!query.isEmpty())
        url.setQuery(query);
    r.url = url;
    r.headers = {{"api-key", apiKey}, {"accept", "application/json"}};
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        r.headers.append(
            {QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")});
    r.body = body;
    r.platform = TargetPlatform::Brevo;
    r.endpointClass = endpointClass(path);
    r.timeoutMs = timeoutMs;
    return r;
}

QFuture<Result<QJsonObject>> BrevoConnector::Shared::json(const HttpRequest &request) const
{
    return JsonReply::fetch(*client, request);
}

QFuture<Result<QJsonArray>> BrevoConnector::Shared::collect(const QString &path,
                                                            const QUrlQuery &query,
                                                            const QString &key, int limit) const
{
    auto st = std::make_shared<CollectState>();
    st->path = path;
    st->query = query;
    st->key = key;
    st->limit = limit;
    st->promise.start();
    QFuture<Result<QJsonArray>> future = st->promise.future();
    collectFrom(shared_from_this(), st, 0);
    return future;
}

QFuture<Result<AccountInfo>> BrevoConnector::testConnection()
{
    return m_shared->json(m_shared->request("GET", u"/account"_s))
        .then([](const Result<QJsonObject> &account) -> Result<AccountInfo> {
            if (!account)
                return account.error();
            return BrevoJson::account(account.value());
        });
}

SourceConnector::Features BrevoConnector::features() const
{
    // No contact tags, automations (workflows) or integrations in the v3 document.
    return Feature::Audiences | Feature::Contacts | Feature::Fields | Feature::Segments
           | Feature::Templates | Feature::Campaigns | Feature::SendingDomains
           | Feature::ChangesSince;
}

QFuture<Result<QList<TagInfo>>> BrevoConnector::tags(const QString &)
{
    // Brevo contacts have no tags (esp-apis.md 2.3); a migration models them as lists.
    return Connectors::ready(
        Result<QList<TagInfo>>(Connectors::unsupported(TargetPlatform::Brevo, tr("contact tags"))));
}

QFuture<Result<QList<AutomationInfo>>> BrevoConnector::automations()
{
    return Connectors::ready(Result<QList<AutomationInfo>>(
        Connectors::unsupported(TargetPlatform::Brevo, tr("automations"))));
}

QFuture<Result<QList<IntegrationInfo>>> BrevoConnector::integrations()
{
    return Connectors::ready(Result<QList<IntegrationInfo>>(
        Connectors::unsupported(TargetPlatform::Brevo, tr("integrations"))));
}

// MailchimpConnector: the host, authentication, requests, paging and the account check.
#include "connectors/mailchimp/mailchimpconnector.h"

#include "connectors/mailchimp/mailchimpconnector_p.h"
#include "connectors/mailchimp/mailchimpjson.h"
#include "connectors/transport/apierror.h"
#include "connectors/transport/httpclient.h"
#include "connectors/transport/jsonreply.h"

#include <QJsonDocument>
#include <QMutexLocker>

using namespace Qt::StringLiterals;
using namespace MailchimpAsync;

namespace {
// A cut-off answer to a GET is asked for again this often before it fails.
constexpr int kMaxBodyAttempts = 4;
} // namespace

MailchimpConnector::MailchimpConnector(ConnectionSettings settings, HttpClient &client)
    : m_settings(std::move(settings))
    , m_client(client)
{}

QString MailchimpConnector::dataCenterOf(const QString &apiKey)
{
    const QString key = apiKey.trimmed();
    const qsizetype dash = key.lastIndexOf(u'-');
    if (dash <= 0 || dash == key.size() - 1)
        return {};
    const QString dc = key.mid(dash + 1);
    for (const QChar c : dc) {
        if (!c.isLetterOrNumber() || c.unicode() > 127)
            return {};
    }
    return dc.toLower();
}

Result<QUrl> MailchimpConnector::apiRoot() const
{
    const QString dc = dataCenterOf(m_settings.apiKey);
    if (dc.isEmpty())
        return Error(tr("The Mailchimp API key looks incomplete: it should end in a dash and the "
                        "data center, like \"-us21\"."),
                     {},
                     tr("Copy the whole key from Mailchimp (Account > Extras > API keys) and "
                        "enter it again."));
    if (m_settings.baseUrl.isValid() && !m_settings.baseUrl.isEmpty())
        return m_settings.baseUrl;
    return QUrl(u"https://%1.api.mailchimp.com/3.0"_s.arg(dc));
}

QFuture<Result<QJsonObject>> MailchimpConnector::call(const QByteArray &method, const QString &path,
                                                      const QUrlQuery &query,
                                                      const QJsonObject &body, bool idempotent,
                                                      int priority)
{
    const Result<QUrl> root = apiRoot();
    if (!root)
        return Connectors::ready<QJsonObject>(root.error());
    QUrl url = root.value();
    url.setPath(url.path() + path);
    if (!query.isEmpty())
        url.setQuery(query);

    HttpRequest request;
    request.method = method;
    request.url = url;
    request.platform = TargetPlatform::Mailchimp;
    request.idempotent = idempotent;
    request.priority = priority;
    request.headers.append(
        {QByteArrayLiteral("Authorization"),
         "Basic " + (u"stagecoach:"_s + m_settings.apiKey.trimmed()).toUtf8().toBase64()});
    request.headers.append({QByteArrayLiteral("Accept"),
                            QByteArrayLiteral("application/json, application/problem+json")});
    if (!body.isEmpty()) {
        request.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    return JsonReply::fetch(m_client, request, kMaxBodyAttempts);
}

QFuture<Result<QJsonArray>> MailchimpConnector::collect(const QString &path,
                                                        const QUrlQuery &query,
                                                        const QString &itemsKey)
{
    // Pages one after the other; the listing fails as a whole when a page fails.
    struct State
    {
        QJsonArray items;
        int offset = 0;
    };
    auto state = std::make_shared<State>();
    auto next = std::make_shared<std::function<QFuture<Result<QJsonArray>>()>>();
    *next = [this, path, query, itemsKey, state,
             weakNext = std::weak_ptr(next)]() -> QFuture<Result<QJsonArray>> {
        QUrlQuery q = query;
        q.addQueryItem(u"count"_s, QString::number(maxPageSize));
        q.addQueryItem(u"offset"_s, QString::number(state->offset));
        return chain(call("GET", path, q),
                     [state, itemsKey, weakNext](QJsonObject &page) -> QFuture<Result<QJsonArray>> {
                         const QJsonArray items = page.value(itemsKey).toArray();
                         for (const QJsonValue &v : items)
                             state->items.append(v);
                         state->offset += int(items.size());
                         const qint64 total = qint64(page.value(u"total_items"_s).toDouble(-1));
                         const auto again = weakNext.lock();
                         if (items.isEmpty() || total < 0 || state->offset >= total || !again)
                             return Connectors::ready<QJsonArray>(state->items);
                         return (*again)();
                     });
    };
    // The continuation keeps `next` alive until the last page is in.
    return (*next)().then([next](Result<QJsonArray> r) { return r; });
}

QFuture<Result<AccountInfo>> MailchimpConnector::testConnection()
{
    const QString dc = dataCenterOf(m_settings.apiKey);
    return map(call("GET", u"/"_s), [dc](QJsonObject &root) -> Result<AccountInfo> {
        AccountInfo info;
        info.id = root.value(u"account_id"_s).toString();
        info.name = root.value(u"account_name"_s).toString();
        info.email = root.value(u"email"_s).toString();
        info.detail = tr("Data center %1").arg(dc);
        if (info.id.isEmpty())
            return Error(tr("Mailchimp answered the account check without an account id."),
                         u"GET /3.0/"_s);
        return info;
    });
}

QFuture<Result<QSet<QString>>> MailchimpConnector::complainedEmails(const QString &listId)
{
    {
        QMutexLocker lock(&m_mutex);
        if (const auto it = m_complained.constFind(listId); it != m_complained.cend())
            return Connectors::ready<QSet<QString>>(*it);
    }
    return map(collect(u"/lists/%1/abuse-reports"_s.arg(listId), {}, u"abuse_reports"_s),
               [this, listId](QJsonArray &reports) -> Result<QSet<QString>> {
                   QSet<QString> emails;
                   for (const QJsonValue &r : reports)
                       emails.insert(
                           r.toObject().value(u"email_address"_s).toString().trimmed().toLower());
                   QMutexLocker lock(&m_mutex);
                   m_complained.insert(listId, emails);
                   return emails;
               });
}

#include "connectors/klaviyo/klaviyoapi.h"

#include "connectors/transport/apierror.h"
#include "connectors/transport/httpclient.h"
#include "connectors/transport/jsonreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPromise>
#include <QSet>
#include <QTimer>

Q_LOGGING_CATEGORY(lcKlaviyo, "stagecoach.connectors.klaviyo")

using namespace Qt::StringLiterals;

KlaviyoApi::KlaviyoApi(ConnectionSettings settings, HttpClient &client)
    : m_settings(std::move(settings))
    , m_client(client)
{}

QUrl KlaviyoApi::url(const QString &path, const Query &query) const
{
    QString root = m_settings.baseUrl.isEmpty() ? u"https://a.klaviyo.com/api"_s
                                                : m_settings.baseUrl.toString();
    while (root.endsWith(u'/'))
        root.chop(1);
    QUrl u(root + u'/' + path);
    QStringList items;
    for (const auto &[name, value] : query)
        items.append(QString::fromLatin1(QUrl::toPercentEncoding(name) + '='
                                         + QUrl::toPercentEncoding(value)));
    if (!items.isEmpty())
        u.setQuery(items.join(u'&'));
    return u;
}

HttpRequest KlaviyoApi::request(const QByteArray &method, const QUrl &url,
                                const QString &endpointClass, const QJsonObject &body) const
{
    HttpRequest r;
    r.method = method;
    r.url = url;
    r.platform = TargetPlatform::Klaviyo;
    r.endpointClass = endpointClass;
    r.headers = {{"Authorization", "Klaviyo-API-Key " + m_settings.apiKey.toUtf8()},
                 {"revision", revision.toByteArray()},
                 {"Accept", "application/vnd.api+json"}};
    if (!body.isEmpty()) {
        r.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/vnd.api+json")});
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    return r;
}

QFuture<Result<QJsonObject>> KlaviyoApi::call(HttpRequest request, int malformedRetries)
{
    // A cursor or links.next naming another host would carry the key there: refused.
    const QUrl root = url({});
    if (request.url.scheme() != root.scheme() || request.url.host() != root.host()
        || request.url.port() != root.port() || !request.url.path().startsWith(root.path()))
        return failed<QJsonObject>(
            Error(tr("A Klaviyo page link points outside %1; it was not followed.")
                      .arg(root.toDisplayString(QUrl::RemoveUserInfo)),
                  ApiError::describeRequest(request.method, request.url),
                  tr("Start the listing again from its first page.")));
    return JsonReply::fetch(m_client, request, 1 + malformedRetries);
}

struct KlaviyoApi::Collector
{
    QPromise<Result<QList<QJsonObject>>> promise;
    QList<QJsonObject> items;
    QString endpointClass;
    QSet<QString> seenCursors; // a cursor seen twice would loop for ever
};

QFuture<Result<QList<QJsonObject>>> KlaviyoApi::collect(const QUrl &first,
                                                        const QString &endpointClass)
{
    auto c = std::make_shared<Collector>();
    c->endpointClass = endpointClass;
    c->promise.start();
    QFuture<Result<QList<QJsonObject>>> future = c->promise.future();
    collectPage(c, first);
    return future;
}

void KlaviyoApi::collectPage(const std::shared_ptr<Collector> &c, const QUrl &pageUrl)
{
    auto self = shared_from_this();
    call(request("GET", pageUrl, c->endpointClass))
        .then(QtFuture::Launch::Sync, [self, c, pageUrl](Result<QJsonObject> page) {
            const auto done = [&c](Result<QList<QJsonObject>> r) {
                c->promise.addResult(std::move(r));
                c->promise.finish();
            };
            if (!page) {
                done(page.error());
                return;
            }
            for (const QJsonValue &v : page->value(u"data"_s).toArray())
                c->items.append(v.toObject());
            const QString next = page->value(u"links"_s).toObject().value(u"next"_s).toString();
            if (next.isEmpty()) {
                done(std::move(c->items));
                return;
            }
            if (c->seenCursors.contains(next)) {
                done(Error(tr("Klaviyo sent the same page twice; the listing was stopped."),
                           ApiError::describeRequest("GET", pageUrl)));
                return;
            }
            c->seenCursors.insert(next);
            self->collectPage(c, QUrl(next));
        });
}

QFuture<void> KlaviyoApi::delay(int ms) const
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    QFuture<void> future = promise->future();
    HttpClient *client = &m_client;
    QMetaObject::invokeMethod(
        client,
        [client, promise, ms] {
            QTimer::singleShot(std::max(0, ms), client, [promise] { promise->finish(); });
        },
        Qt::QueuedConnection);
    return future;
}

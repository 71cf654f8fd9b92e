#include "connectors/transport/jsonreply.h"

#include "connectors/transport/apierror.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcTransport)

QFuture<Result<QJsonObject>> JsonReply::fetch(HttpClient &client, const HttpRequest &request,
                                              int attempts)
{
    return attempt(&client, request, 1, std::max(1, attempts));
}

QFuture<Result<QJsonObject>> JsonReply::attempt(HttpClient *client, const HttpRequest &request,
                                                int attempt, int attempts)
{
    // The client outlives the connectors that send through it, and with them these futures.
    return client->send(request)
        .then(QtFuture::Launch::Sync,
              [client, request, attempt, attempts](const HttpClient::Reply &reply)
                  -> QFuture<Result<QJsonObject>> {
                  if (!reply)
                      return QtFuture::makeReadyFuture(Result<QJsonObject>(reply.error()));
                  const QByteArray body = reply->body.trimmed();
                  if (body.isEmpty())
                      return QtFuture::makeReadyFuture(Result<QJsonObject>(QJsonObject()));
                  QJsonParseError e;
                  const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
                  if (e.error == QJsonParseError::NoError && doc.isObject())
                      return QtFuture::makeReadyFuture(Result<QJsonObject>(doc.object()));
                  const QString where = ApiError::describeRequest(request.method, request.url);
                  if (request.isIdempotent() && attempt < attempts) {
                      qCInfo(lcTransport) << where << "answer was not JSON; asking again";
                      return JsonReply::attempt(client, request, attempt + 1, attempts);
                  }
                  const QString name = TargetPlatforms::displayName(request.platform);
                  const QString what
                      = e.error == QJsonParseError::NoError ? tr("not a JSON object") : e.errorString();
                  QString message = tr("%1 sent an incomplete or unreadable answer: garbled, not valid JSON "
                                       "(%2 bytes: %3).")
                                        .arg(name)
                                        .arg(body.size())
                                        .arg(what);
                  if (attempt > 1)
                      message += u' ' + tr("The same %1 times in a row.").arg(attempt);
                  return QtFuture::makeReadyFuture(Result<QJsonObject>(
                      Error(message, where,
                            tr("Try again; if it keeps happening, %1 or a proxy between here and %1 "
                               "is cutting answers short.")
                                .arg(name))));
              })
        .unwrap();
}

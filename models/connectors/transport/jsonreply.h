#pragma once

#include "connectors/transport/httpclient.h"

#include <QCoreApplication>
#include <QFuture>
#include <QJsonObject>

/**
 * A platform's answer read as one JSON object: the layer above HttpClient that every connector
 * shares. An empty body is an empty object. A body that is not a JSON object (cut short on the
 * way, garbled by a proxy) is asked for again when the request may be sent twice, up to
 * `attempts` times in all; after that the Error names the platform, the request and what to do.
 */
class JsonReply
{
    Q_DECLARE_TR_FUNCTIONS(JsonReply)

public:
    static QFuture<Result<QJsonObject>> fetch(HttpClient &client, const HttpRequest &request,
                                              int attempts = 4);

private:
    static QFuture<Result<QJsonObject>> attempt(HttpClient *client, const HttpRequest &request,
                                                int attempt, int attempts);
};

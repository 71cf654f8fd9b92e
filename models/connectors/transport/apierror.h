#pragma once

#include "connectors/targetplatform.h"
#include "core/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <optional>

/// What a platform said in an error body, whichever of the three shapes it used.
struct PlatformProblem
{
    QString code;       ///< Brevo/Klaviyo code ("invalid_parameter"), Mailchimp title
    QString detail;     ///< the explanation
    QString field;      ///< the field or parameter it is about, when given
    QString reference;  ///< Mailchimp's instance id, for support
    int moreErrors = 0; ///< further errors in the same body
};

/**
 * Turns a platform's refusal into an Error that says what the platform said (status, code,
 * message), on which request (method and path, never the query or a key) and what the user can
 * do about it.
 */
class ApiError
{
    Q_DECLARE_TR_FUNCTIONS(ApiError)

public:
    /**
     * Reads Mailchimp's problem+json {type,title,status,detail,instance[,errors]}, Brevo's
     * {code,message} and Klaviyo's JSON:API {errors:[{code,title,detail,source}]}.
     */
    static std::optional<PlatformProblem> parseBody(const QByteArray &body);

    /// "POST /3.0/lists/abc/members": the method and the path, without host and query.
    static QString describeRequest(const QByteArray &method, const QUrl &url);

    /// An HTTP error status. `attempts` > 1 says the request was tried that often.
    static Error fromHttp(TargetPlatform platform, int status, const QByteArray &body,
                          const QString &where, int attempts = 1);
    /// No HTTP answer: a timeout after `timeoutMs`, a refused connection, a TLS failure ...
    static Error fromNetwork(TargetPlatform platform, QNetworkReply::NetworkError error,
                             bool timedOut, int timeoutMs, const QString &where, int attempts = 1);
    /// The client shut down before the answer came.
    static Error cancelled(const QString &where);

    /// What the user can do about `status` from `platform`.
    static QString hintFor(TargetPlatform platform, int status, bool throttled = false);

private:
    static QString withAttempts(QString message, int attempts);
};

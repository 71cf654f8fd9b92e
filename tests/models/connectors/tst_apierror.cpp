#include "connectors/transport/apierror.h"

#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TargetPlatform)

// Error bodies in the shapes the platforms' specs define (shared/specs): Mailchimp's
// Problem_Detail_Document, Brevo's errorModel, Klaviyo's ClientError/ServerError responses.
class tst_ApiError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromHttp_data()
    {
        QTest::addColumn<TargetPlatform>("platform");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("messageHas"); // what the platform said, and the status
        QTest::addColumn<QString>("hintHas");        // what the user can do

        QTest::newRow("mailchimp 404")
            << TargetPlatform::Mailchimp << 404
            << QByteArray(R"({"type":"https://mailchimp.com/developer/marketing/docs/errors/",)"
                          R"("title":"Resource Not Found","status":404,)"
                          R"("detail":"The requested resource could not be found.",)"
                          R"("instance":"995c5cb0-3280-4a6e-808b-3b096d0bb219"})")
            << QStringList{u"Mailchimp"_s, u"404"_s, u"Resource Not Found"_s,
                           u"The requested resource could not be found."_s,
                           u"995c5cb0-3280-4a6e-808b-3b096d0bb219"_s}
            << u"no longer exists"_s;
        QTest::newRow("mailchimp 400 with field errors")
            << TargetPlatform::Mailchimp << 400
            << QByteArray(R"({"type":"https://mailchimp.com/developer/marketing/docs/errors/",)"
                          R"("title":"Invalid Resource","status":400,)"
                          R"("detail":"The resource submitted could not be validated.",)"
                          R"("instance":"a1","errors":[{"field":"email_address",)"
                          R"("message":"This value should be a valid email."},)"
                          R"({"field":"merge_fields.FNAME","message":"Too long."}]})")
            << QStringList{u"400"_s, u"Invalid Resource"_s,
                           u"This value should be a valid email."_s, u"email_address"_s,
                           u"1 more"_s}
            << u"refused the data"_s;
        QTest::newRow("mailchimp 401")
            << TargetPlatform::Mailchimp << 401
            << QByteArray(
                   R"({"type":"t","title":"API Key Invalid","status":401,)"
                   R"("detail":"Your API key may be invalid, or you have attempted to access the wrong datacenter.","instance":"b2"})")
            << QStringList{u"401"_s, u"API Key Invalid"_s, u"wrong datacenter"_s} << u"API key"_s;
        QTest::newRow("mailchimp bare 403 is throttling")
            << TargetPlatform::Mailchimp << 403 << QByteArray()
            << QStringList{u"Mailchimp"_s, u"403"_s} << u"limiting"_s;
        QTest::newRow("brevo 400")
            << TargetPlatform::Brevo << 400
            << QByteArray(R"({"code":"invalid_parameter","message":"Invalid email address"})")
            << QStringList{u"Brevo"_s, u"400"_s, u"invalid_parameter"_s, u"Invalid email address"_s}
            << u"refused the data"_s;
        QTest::newRow("brevo 401")
            << TargetPlatform::Brevo << 401
            << QByteArray(R"({"code":"unauthorized","message":"Key not found"})")
            << QStringList{u"401"_s, u"unauthorized"_s, u"Key not found"_s} << u"API key"_s;
        QTest::newRow("brevo 402")
            << TargetPlatform::Brevo << 402
            << QByteArray(R"({"code":"not_enough_credits","message":"Not enough credits"})")
            << QStringList{u"402"_s, u"not_enough_credits"_s} << u"plan or credits"_s;
        QTest::newRow("brevo 403 is a permission problem")
            << TargetPlatform::Brevo << 403
            << QByteArray(R"({"code":"permission_denied","message":"Permission denied"})")
            << QStringList{u"403"_s, u"permission_denied"_s} << u"scope"_s;
        QTest::newRow("klaviyo 400")
            << TargetPlatform::Klaviyo << 400
            << QByteArray(R"({"errors":[{"id":"e4eebb08-b055-4a6f-bb13-c8cb69c9eb94","status":400,)"
                          R"("code":"invalid","title":"Invalid input.",)"
                          R"("detail":"The payload provided in the request is invalid.",)"
                          R"("source":{"pointer":"/data/attributes/email"}}]})")
            << QStringList{u"Klaviyo"_s, u"400"_s, u"invalid"_s,
                           u"The payload provided in the request is invalid."_s,
                           u"/data/attributes/email"_s}
            << u"refused the data"_s;
        QTest::newRow("klaviyo 429")
            << TargetPlatform::Klaviyo << 429
            << QByteArray(R"({"errors":[{"id":"x","status":429,"code":"throttled",)"
                          R"("title":"Request was throttled.",)"
                          R"("detail":"Request was throttled. Expected available in 1 second."}]})")
            << QStringList{u"429"_s, u"throttled"_s, u"Expected available in 1 second."_s}
            << u"limiting"_s;
        QTest::newRow("klaviyo 403 scope")
            << TargetPlatform::Klaviyo << 403
            << QByteArray(R"({"errors":[{"id":"y","status":403,"code":"permission_denied",)"
                          R"("title":"You do not have permission to perform this action.",)"
                          R"("detail":"This API key is missing required scopes.",)"
                          R"("source":{"parameter":"scopes"}}]})")
            << QStringList{u"403"_s, u"permission_denied"_s, u"missing required scopes"_s}
            << u"scope"_s;
        QTest::newRow("413 without a body")
            << TargetPlatform::Klaviyo << 413 << QByteArray()
            << QStringList{u"Klaviyo"_s, u"413"_s, u"without an explanation"_s} << u"smaller"_s;
        QTest::newRow("502 html from a proxy")
            << TargetPlatform::Brevo << 502 << QByteArray("<html><body>Bad gateway</body></html>")
            << QStringList{u"Brevo"_s, u"502"_s} << u"status page"_s;
    }
    void fromHttp()
    {
        QFETCH(TargetPlatform, platform);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, messageHas);
        QFETCH(QString, hintHas);

        const QString where = ApiError::describeRequest(
            "post", QUrl(u"https://us14.api.mailchimp.com/3.0/lists/abc/members?apikey=SECRET"_s));
        QCOMPARE(where, u"POST /3.0/lists/abc/members"_s);
        const Error e = ApiError::fromHttp(platform, status, body, where);
        for (const QString &part : messageHas)
            QVERIFY2(e.message.contains(part), qPrintable(e.message));
        QVERIFY2(e.hint.contains(hintHas), qPrintable(e.hint));
        QCOMPARE(e.where, where);
        QVERIFY(!e.toString().contains(u"SECRET"_s));
        QVERIFY(!e.message.contains(u"<html>"_s)); // no raw bodies in front of the user
        QCOMPARE(e.httpStatus, status);
    }

    void platformCodeIsKept()
    {
        const Error e = ApiError::fromHttp(
            TargetPlatform::Brevo, 400,
            R"({"code":"duplicate_parameter","message":"Contact already exist"})", u"POST /v3/contacts"_s);
        QCOMPARE(e.code, u"duplicate_parameter"_s);
        QCOMPARE(e.httpStatus, 400);
        const Error network = ApiError::fromNetwork(TargetPlatform::Brevo,
                                                    QNetworkReply::ConnectionRefusedError, false,
                                                    1000, u"GET /v3/account"_s);
        QCOMPARE(network.httpStatus, 0);
    }

    void attemptsAreReported()
    {
        const Error e
            = ApiError::fromHttp(TargetPlatform::Brevo, 503, {}, u"GET /v3/contacts"_s, 4);
        QVERIFY2(e.message.contains(u"4 attempts"_s), qPrintable(e.message));
    }

    void networkErrors()
    {
        const Error timeout
            = ApiError::fromNetwork(TargetPlatform::Klaviyo, QNetworkReply::OperationCanceledError,
                                    true, 30'000, u"GET /api/profiles"_s);
        QVERIFY2(timeout.message.contains(u"30 seconds"_s), qPrintable(timeout.message));
        QVERIFY(!timeout.hint.isEmpty());
        const Error refused
            = ApiError::fromNetwork(TargetPlatform::Brevo, QNetworkReply::ConnectionRefusedError,
                                    false, 30'000, u"GET /v3/contacts"_s);
        QVERIFY2(refused.message.contains(u"connect"_s), qPrintable(refused.message));
        QVERIFY(refused.hint.contains(u"internet connection"_s));
    }
};

QTEST_GUILESS_MAIN(tst_ApiError)
#include "tst_apierror.moc"

#include "catalog/platformcatalog.h"
#include "testsupport.h"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QString shippedPath()
{
    return QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/catalog/platforms.json"_s;
}

const QStringList kFacts
    = {u"customFieldLimit"_s,  u"contactTags"_s,        u"listLimit"_s,
       u"fieldTypes"_s,        u"doubleOptInControl"_s, u"consentEvidence"_s,
       u"bulkImportRecords"_s, u"bulkImportBytes"_s,    u"apiRateLimit"_s,
       u"templateLanguage"_s,  u"automations"_s,        u"domainAuthentication"_s};

/// A one-platform catalog whose "alpha" platform has the given facts object (JSON text).
QByteArray withFacts(const QByteArray &facts)
{
    return R"({ "platforms": [ { "id": "alpha", "name": "Alpha", "facts": )" + facts + " } ] }";
}

QByteArray fact(const QByteArray &key, const QByteArray &value, const QByteArray &extra = {})
{
    return "{ \"" + key + "\": { \"value\": " + value
           + R"(, "note": "", "source": "fixture", "checked": "2026-11-23")" + extra + " } }";
}

} // namespace

class tst_PlatformCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedCatalogLoads()
    {
        const auto catalog = PlatformCatalog::load(shippedPath());
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
        QVERIFY(catalog->platforms().size() >= 6);
        for (const char *id : {"mailchimp", "brevo", "klaviyo"})
            QVERIFY2(catalog->find(QString::fromLatin1(id)), id);

        // The facts the assessment's risks rely on keep their values.
        QCOMPARE(catalog->find(u"mailchimp")->customFieldLimit.value, std::optional<int>(30));
        QCOMPARE(catalog->find(u"mailchimp")->contactTags.value, std::optional<bool>(true));
        QVERIFY(!catalog->find(u"brevo")->customFieldLimit.value);
        QCOMPARE(catalog->find(u"brevo")->contactTags.value, std::optional<bool>(false));
        QCOMPARE(catalog->find(u"klaviyo")->listLimit.value, std::optional<int>(1000));
        QVERIFY(!catalog->find(u"klaviyo")->customFieldLimit.value);
        QVERIFY(catalog->find(u"klaviyo")->holdsNatively(FieldType::Phone));
        QVERIFY(!catalog->find(u"brevo")->holdsNatively(FieldType::Birthday));
        QCOMPARE(catalog->find(u"brevo")->templateFamily(), u"Django-like"_s);
        QCOMPARE(catalog->find(u"klaviyo")->templateFamily(),
                 catalog->find(u"brevo")->templateFamily());
    }

    void shippedFactsAreSourcedAndDated()
    {
        // Read the file on its own, so that a fact the loader would skip is checked too.
        QFile file(shippedPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray platforms
            = QJsonDocument::fromJson(file.readAll()).object().value(u"platforms").toArray();
        QVERIFY(platforms.size() >= 6);
        static const QRegularExpression iso(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
        for (const QJsonValue &p : platforms) {
            const QString id = p[u"id"].toString();
            const QJsonObject facts = p[u"facts"].toObject();
            // Every platform states every fact, with a null value where it is not documented.
            for (const QString &key : kFacts)
                QVERIFY2(facts.contains(key), qPrintable(id + u" lacks "_s + key));
            for (auto it = facts.begin(); it != facts.end(); ++it) {
                const QJsonObject f = it.value().toObject();
                const QString where = id + u'.' + it.key();
                QVERIFY2(f.contains(u"value"), qPrintable(where));
                QVERIFY2(!f[u"source"].toString().trimmed().isEmpty(), qPrintable(where));
                const QString checked = f[u"checked"].toString();
                QVERIFY2(iso.match(checked).hasMatch()
                             && QDate::fromString(checked, Qt::ISODate).isValid(),
                         qPrintable(where + u": "_s + checked));
                // An undocumented fact says so in its note.
                if (f[u"value"].isNull())
                    QVERIFY2(!f[u"note"].toString().isEmpty(), qPrintable(where));
            }
        }
    }

    void fixtureFacts()
    {
        const auto catalog = PlatformCatalog::load(TestSupport::fixture(u"catalog/scoring.json"_s));
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
        QCOMPARE(catalog->platforms().size(), 4);

        const Platform *alpha = catalog->find(u"alpha");
        QCOMPARE(alpha->name, u"Alpha"_s);
        QCOMPARE(alpha->customFieldLimit.value, std::optional<int>(10));
        QCOMPARE(alpha->customFieldLimit.note, u"Ten fields on every plan."_s);
        QCOMPARE(alpha->customFieldLimit.source, u"fixture: alpha fields"_s);
        QCOMPARE(alpha->customFieldLimit.checked, u"2026-11-23"_s);
        QCOMPARE(*alpha->fieldTypes.value,
                 (QList<FieldType>{FieldType::Text, FieldType::Number, FieldType::Date}));
        QCOMPARE(alpha->bulkImportRecords.value, std::optional<int>(1000));
        QVERIFY(!alpha->bulkImportBytes.known());
        QCOMPARE(alpha->apiRateLimit.value, std::optional<double>(10));
        QCOMPARE(alpha->templateLanguage.value, std::optional<QString>(u"Stars: *|FNAME|*"_s));
        QCOMPARE(alpha->templateFamily(), u"Stars"_s);

        const Platform *beta = catalog->find(u"beta");
        QVERIFY(!beta->customFieldLimit.value);
        QVERIFY(beta->customFieldLimit.unlimited);
        QVERIFY(beta->customFieldLimit.known());
        QCOMPARE(beta->doubleOptInControl.value, std::optional<bool>(false));
        QCOMPARE(beta->bulkImportBytes.value, std::optional<qint64>(100000));

        const Platform *gamma = catalog->find(u"gamma");
        QVERIFY(!gamma->customFieldLimit.known());
        QCOMPARE(gamma->customFieldLimit.note, u"The vendor does not say."_s);
        QVERIFY(gamma->contactTags.source.isEmpty()); // not listed at all
        QVERIFY(gamma->templateFamily().isEmpty());
        QVERIFY(!catalog->find(u"delta"));
    }

    void malformedFixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad JSON") << u"catalog/bad-json.json"_s << u"not valid JSON"_s;
        QTest::newRow("missing id")
            << u"catalog/missing-id.json"_s << u"platform number 2 in the catalog has no id"_s;
    }

    void malformedFixtures()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const QString path = TestSupport::fixture(file);
        const auto catalog = PlatformCatalog::load(path);
        QVERIFY(!catalog.ok());
        QCOMPARE(catalog.error().where, path);
        QVERIFY2(catalog.error().message.contains(message), qPrintable(catalog.error().message));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");

        QTest::newRow("no platforms list") << QByteArray("{}") << u"no \"platforms\" list"_s;
        QTest::newRow("empty list")
            << QByteArray(R"({ "platforms": [] })") << u"lists no platform"_s;
        QTest::newRow("no name") << QByteArray(
            R"({ "platforms": [ { "id": "alpha", "facts": {} } ] })")
                                 << u"\"alpha\" in the catalog has no name"_s;
        QTest::newRow("id twice") << QByteArray(
            R"({ "platforms": [ { "id": "alpha", "name": "A" }, { "id": "alpha", "name": "B" } ] })")
                                  << u"\"alpha\" is listed twice"_s;
        QTest::newRow("unknown fact") << withFacts(fact("customFieldLimits", "30"))
                                      << u"unknown fact \"customFieldLimits\""_s;
        QTest::newRow("text for a limit") << withFacts(fact("customFieldLimit", "\"thirty\""))
                                          << u"alpha, fact customFieldLimit: the value should be"_s;
        QTest::newRow("negative limit")
            << withFacts(fact("listLimit", "-1")) << u"fact listLimit"_s;
        QTest::newRow("fraction for a count")
            << withFacts(fact("bulkImportRecords", "2.5")) << u"fact bulkImportRecords"_s;
        QTest::newRow("text for a yes/no")
            << withFacts(fact("contactTags", "\"yes\"")) << u"fact contactTags"_s;
        QTest::newRow("unknown field type")
            << withFacts(fact("fieldTypes", R"(["text", "colour"])")) << u"fact fieldTypes"_s;
        QTest::newRow("empty template language")
            << withFacts(fact("templateLanguage", "\"\"")) << u"fact templateLanguage"_s;
        QTest::newRow("unlimited with a value")
            << withFacts(fact("listLimit", "5", R"(, "unlimited": true)"))
            << u"\"unlimited\" applies only"_s;
        QTest::newRow("unlimited yes/no")
            << withFacts(fact("automations", "null", R"(, "unlimited": true)"))
            << u"\"unlimited\" applies only"_s;
        QTest::newRow("fact not an object")
            << withFacts(R"({ "automations": true })") << u"fact automations: expected an object"_s;
        QTest::newRow("no source") << withFacts(
            R"({ "automations": { "value": true, "note": "", "source": " ", "checked": "2026-11-23" } })")
                                   << u"fact automations: no source"_s;
        QTest::newRow("date not ISO") << withFacts(
            R"({ "automations": { "value": true, "note": "", "source": "x", "checked": "23/11/2026" } })")
                                      << u"check date \"23/11/2026\" is not an ISO date"_s;
        QTest::newRow("no date") << withFacts(
            R"({ "automations": { "value": true, "note": "", "source": "x" } })")
                                 << u"not an ISO date"_s;
    }

    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = TestSupport::writeFile(dir.path(), u"platforms.json"_s, json);
        QVERIFY(!path.isEmpty());
        const auto catalog = PlatformCatalog::load(path);
        QVERIFY(!catalog.ok());
        QCOMPARE(catalog.error().where, path);
        QVERIFY2(catalog.error().message.contains(message), qPrintable(catalog.error().message));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"nowhere.json"_s);
        const auto catalog = PlatformCatalog::load(path);
        QVERIFY(!catalog.ok());
        QCOMPARE(catalog.error().where, path);
        QVERIFY2(catalog.error().message.contains(u"cannot be read"_s),
                 qPrintable(catalog.error().message));
    }

    void nullValuesAreAllowed()
    {
        QTemporaryDir dir;
        const QString path = TestSupport::writeFile(dir.path(), u"platforms.json"_s,
                                                    withFacts(fact("apiRateLimit", "null")));
        const auto catalog = PlatformCatalog::load(path);
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
        QVERIFY(!catalog->find(u"alpha")->apiRateLimit.known());
        QCOMPARE(catalog->find(u"alpha")->apiRateLimit.source, u"fixture"_s);
    }
};

QTEST_GUILESS_MAIN(tst_PlatformCatalog)
#include "tst_platformcatalog.moc"

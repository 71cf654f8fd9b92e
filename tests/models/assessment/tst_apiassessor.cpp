// The assessment through a source connector, over real HTTP against the sandbox (on its own
// thread, so the assessor may wait for answers as it does on the job pool).

#include "assessment/apiassessor.h"
#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "connectors/connectorfactory.h"
#include "connectors/transport/networkthread.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "store/projectstore.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

RetrySettings quickRetries()
{
    RetrySettings s;
    s.maxAttempts = 3;
    s.baseDelayMs = 5;
    s.maxDelayMs = 50;
    return s;
}

} // namespace

class tst_ApiAssessor : public QObject
{
    Q_OBJECT

private:
    static constexpr int kContacts = 2100; // three pages of up to 1000
    QTemporaryDir m_dir;
    SandboxHost m_host;
    PlatformCatalog m_catalog;

    ConnectionSettings mailchimp() const
    {
        const auto e = m_host.endpoint(TargetPlatform::Mailchimp);
        return ConnectionSettings{TargetPlatform::Mailchimp, e ? e->apiKey : QString(),
                                  e ? e->apiRoot : QUrl()};
    }
    QString audience() const
    {
        const auto e = m_host.endpoint(TargetPlatform::Mailchimp);
        return e ? e->audienceId : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        SandboxHostOptions options;
        options.contacts = kContacts;
        const auto started = m_host.start(options);
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        // One address the platform should never have accepted, and one member per status of the
        // demo cycle is already there.
        m_host.inspect([&](MailchimpSandbox &mc, BrevoSandbox &, KlaviyoSandbox &) {
            MailchimpMember bad;
            bad.email = u"not-an-address"_s;
            bad.status = u"subscribed"_s;
            mc.putMember(audience(), bad);
        });
        auto catalog = PlatformCatalog::load(QStringLiteral(STAGECOACH_SOURCE_DIR)
                                             + u"/resources/catalog/platforms.json"_s);
        QVERIFY(catalog.ok());
        m_catalog = catalog.value();
    }

    void inventoriesTheAudienceLikeAnExport()
    {
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        auto source = ConnectorFactory::source(mailchimp(), network.client());
        QVERIFY(source);
        QList<int> permilles;
        const AssessmentOutcome o = ApiAssessor::assess(
            *source, audience(), QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC),
            [&](int permille, const QString &) {
                permilles.append(permille);
                return true;
            });
        QVERIFY2(!o.error, qPrintable(o.error ? o.error->toString() : QString()));
        QVERIFY(o.inventory);
        const Inventory &inv = *o.inventory;

        // The sandbox's own members, counted here independently of the assessor.
        qint64 total = 0, withTags = 0, optin = 0, confirm = 0;
        QHash<QString, qint64> byStatus;
        m_host.inspect([&](MailchimpSandbox &mc, BrevoSandbox &, KlaviyoSandbox &) {
            for (const MailchimpMember &m : mc.list(audience())->members) {
                ++total;
                ++byStatus[m.status];
                withTags += m.tags.isEmpty() ? 0 : 1;
                optin += m.timestampSignup.isValid() ? 1 : 0;
                confirm += m.timestampOpt.isValid() ? 1 : 0;
            }
        });
        QCOMPARE(inv.total, total);
        QCOMPARE(inv.total, qint64(kContacts + 1));
        QCOMPARE(inv.count(ContactStatus::Subscribed), byStatus.value(u"subscribed"_s));
        QCOMPARE(inv.count(ContactStatus::Cleaned), byStatus.value(u"cleaned"_s));
        QCOMPARE(inv.count(ContactStatus::Pending), byStatus.value(u"pending"_s));
        QCOMPARE(inv.count(ContactStatus::Transactional), byStatus.value(u"transactional"_s));
        QCOMPARE(inv.count(ContactStatus::Archived), byStatus.value(u"archived"_s));
        // Unsubscribed on Mailchimp: unsubscribed or (reported for abuse) complained.
        QCOMPARE(inv.count(ContactStatus::Unsubscribed) + inv.count(ContactStatus::Complained),
                 byStatus.value(u"unsubscribed"_s));
        QCOMPARE(inv.count(ContactStatus::Unknown), qint64(0));
        QCOMPARE(inv.invalidEmails, qint64(1));
        QCOMPARE(inv.duplicates, qint64(0));
        QCOMPARE(inv.consent.optinTime, optin);
        QCOMPARE(inv.consent.confirmTime, confirm);
        QVERIFY(inv.engagement.ratingAvailable);
        QVERIFY(inv.engagement.lastChangedAvailable);

        // Fields by their labels, with the platform's types where it gives them.
        QHash<QString, InventoryField> fields;
        for (const InventoryField &f : inv.fields)
            fields.insert(f.name, f);
        QVERIFY2(fields.contains(u"First Name"_s), qPrintable(fields.keys().join(u", "_s)));
        QCOMPARE(fields.value(u"First Name"_s).filled, qint64(kContacts));
        QVERIFY(fields.value(u"First Name"_s).custom);
        QCOMPARE(fields.value(u"Birthday"_s).type, FieldType::Birthday);
        // Tags: Newsletter on every second demo member, VIP on every fifth.
        QHash<QString, qint64> tags;
        for (const InventoryTag &t : inv.tags)
            tags.insert(t.name, t.count);
        QCOMPARE(tags.value(u"Newsletter"_s), qint64((kContacts + 1) / 2));
        QCOMPARE(tags.value(u"VIP"_s), qint64((kContacts + 4) / 5));
        Q_UNUSED(withTags);

        // What only the API shows.
        QVERIFY(inv.account.available);
        QCOMPARE(inv.account.platform, u"mailchimp"_s);
        QVERIFY(!inv.account.account.isEmpty());
        QVERIFY(inv.account.templates >= 1);
        QVERIFY(inv.account.campaigns >= inv.account.campaignsLast12Months);
        QVERIFY(inv.account.automations >= 1);
        QVERIFY(!o.assets.isEmpty());
        // Progress rose to the end.
        QVERIFY(!permilles.isEmpty());
        QCOMPARE(permilles.last(), 1000);
        QVERIFY(std::is_sorted(permilles.begin(), permilles.end()));
    }

    void aWrongKeyEndsWithTheReasonAndNothingElse()
    {
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        ConnectionSettings wrong = mailchimp();
        wrong.apiKey = u"0123456789abcdef0123456789abcdef-us21"_s;
        auto source = ConnectorFactory::source(wrong, network.client());
        QVERIFY(source);
        const AssessmentOutcome o = ApiAssessor::assess(*source, audience(), QDateTime::currentDateTimeUtc());
        QVERIFY(!o.inventory);
        QVERIFY(o.error);
        QCOMPARE(o.error->httpStatus, 401);
        QVERIFY2(o.error->message.contains(u"Mailchimp"_s), qPrintable(o.error->message));
        QVERIFY2(o.error->hint.contains(u"key"_s), qPrintable(o.error->hint));
    }

    void anUnknownAudienceIsNamed()
    {
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        auto source = ConnectorFactory::source(mailchimp(), network.client());
        QVERIFY(source);
        const AssessmentOutcome o = ApiAssessor::assess(*source, u"nosuchlist"_s, QDateTime::currentDateTimeUtc());
        QVERIFY(o.error);
        QVERIFY2(o.error->message.contains(u"nosuchlist"_s), qPrintable(o.error->message));
    }

    void cancellingStopsBetweenPages()
    {
        NetworkThread network(RateLimiter::withPlatformDefaults(), RetryPolicy(quickRetries()));
        auto source = ConnectorFactory::source(mailchimp(), network.client());
        QVERIFY(source);
        int calls = 0;
        const AssessmentOutcome o = ApiAssessor::assess(*source, audience(), QDateTime::currentDateTimeUtc(),
                                                        [&](int, const QString &) { return ++calls < 3; });
        QVERIFY(o.cancelled);
        QVERIFY(!o.inventory);
        QVERIFY(!o.error);
    }

    void descriptorsRoundTrip()
    {
        const QString d = ApiAssessor::sourceDescriptor(TargetPlatform::Brevo, u"12"_s);
        QCOMPARE(d, u"api:brevo:12"_s);
        TargetPlatform p = TargetPlatform::Mailchimp;
        QString audience;
        QVERIFY(ApiAssessor::parseDescriptor(d, &p, &audience));
        QCOMPARE(p, TargetPlatform::Brevo);
        QCOMPARE(audience, u"12"_s);
        QVERIFY(!ApiAssessor::parseDescriptor(u"/home/me/api:brevo:12.csv"_s, nullptr, nullptr));
        QVERIFY(!ApiAssessor::parseDescriptor(u"api:nosuch:1"_s, nullptr, nullptr));
    }

    void theControllerRecordsTheAccountAndMergesAssets()
    {
        auto created = ProjectStore::create(m_dir.filePath(u"api.stagecoach"_s), u"API"_s);
        QVERIFY(created.ok());
        auto store = std::move(created.value());
        AssessmentController c(store.get(), &m_catalog);
        c.assessFromApi(mailchimp(), audience());
        QCOMPARE(c.state(), AssessmentController::State::Running);
        QVERIFY(QTest::qWaitFor([&] { return c.state() != AssessmentController::State::Running; }, 60000));
        QVERIFY2(c.inventory().has_value(), qPrintable(c.lastError() ? c.lastError()->toString() : QString()));
        QVERIFY(c.isApiSource());
        QCOMPARE(c.files(), QStringList{ApiAssessor::sourceDescriptor(TargetPlatform::Mailchimp, audience())});
        const int templates = c.assetsModel(AssetKind::Template)->rowCount();
        QVERIFY(templates >= 1);

        // The user decides about a template; reading the account again keeps that decision and
        // adds no second row.
        AssetsModel *model = c.assetsModel(AssetKind::Template);
        QVERIFY(model->setData(model->index(0, AssetsModel::Notes), u"rebuild in the new editor"_s));
        c.reassess();
        QVERIFY(QTest::qWaitFor([&] { return c.state() != AssessmentController::State::Running; }, 60000));
        QCOMPARE(c.assetsModel(AssetKind::Template)->rowCount(), templates);
        QCOMPARE(c.assetsModel(AssetKind::Template)->index(0, AssetsModel::Notes).data().toString(),
                 u"rebuild in the new editor"_s);

        // Reopened: the summary is in the project.
        AssessmentController reopened(store.get(), &m_catalog);
        QVERIFY(reopened.inventory().has_value());
        QVERIFY(reopened.inventory()->account.available);
        QCOMPARE(reopened.inventory()->total, qint64(kContacts + 1));
        // Without the key in this session, reading again says what is needed.
        QSignalSpy failed(&reopened, &AssessmentController::failed);
        reopened.reassess();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(reopened.state(), AssessmentController::State::Ready);
    }
};

QTEST_GUILESS_MAIN(tst_ApiAssessor)
#include "tst_apiassessor.moc"

// The Initial setup stage against the sandboxes over HTTP: lists and fields created once, the
// dry run writing nothing.

#include "connectors/connectorfactory.h"
#include "connectors/transport/networkthread.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxhost.h"
#include "transfer/initialsetup.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// The demo export's fields as the assessment lists them (the Mailchimp dialect).
QList<InventoryField> sourceFields()
{
    return {InventoryField{u"First Name"_s, FieldType::Text, 10, true},
            InventoryField{u"Address"_s, FieldType::Address, 10, true},
            InventoryField{u"Birthday"_s, FieldType::Birthday, 10, true},
            InventoryField{u"Shoe size"_s, FieldType::Number, 10, true},
            InventoryField{u"OPTIN_TIME"_s, FieldType::Date, 10, false},
            InventoryField{u"TAGS"_s, FieldType::Tags, 10, false},
            InventoryField{u"MEMBER_RATING"_s, FieldType::Number, 10, false}};
}

template<typename T>
Result<T> wait(QFuture<Result<T>> future)
{
    // The sandbox runs on its own thread: this one may block.
    future.waitForFinished();
    if (future.resultCount() == 0)
        return Error(u"no answer"_s);
    return future.result();
}

QStringList names(const SetupReport &r, bool created)
{
    QStringList out;
    for (const SetupItem &i : r.items) {
        if (i.kind == SetupItem::Kind::Field && (created ? (r.dryRun ? !i.exists : i.created) : i.exists))
            out.append(i.name);
    }
    return out;
}

} // namespace

class tst_InitialSetup : public QObject
{
    Q_OBJECT

private:
    SandboxHost m_host;
    std::unique_ptr<NetworkThread> m_network;

    ConnectionSettings settings(TargetPlatform p) const
    {
        const auto e = m_host.endpoint(p);
        return ConnectionSettings{p, e ? e->apiKey : QString(), e ? e->apiRoot : QUrl()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        SandboxHostOptions options;
        options.contacts = 10;
        QVERIFY(m_host.start(options).ok());
        RetrySettings quick;
        quick.baseDelayMs = 5;
        quick.maxDelayMs = 50;
        m_network = std::make_unique<NetworkThread>(RateLimiter::withPlatformDefaults(), RetryPolicy(quick));
    }
    void cleanupTestCase() { m_network.reset(); }

    void requiredFieldsFollowTheMapping()
    {
        const QList<FieldSpec> brevo = InitialSetup::requiredFields(
            FieldMapping::suggest(sourceFields(), TargetPlatform::Brevo), TargetPlatform::Brevo);
        QStringList brevoNames;
        for (const FieldSpec &f : brevo)
            brevoNames.append(f.name);
        // Built-in FIRSTNAME, tags and metadata need nothing; the address is split into text parts;
        // OPTIN_TIME comes once though the mapping and the evidence both name it.
        QCOMPARE(brevoNames, (QStringList{u"ADDRESS_LINE_1"_s, u"ADDRESS_LINE_2"_s, u"ADDRESS_CITY"_s,
                                          u"ADDRESS_STATE"_s, u"ADDRESS_ZIP"_s, u"ADDRESS_COUNTRY"_s,
                                          u"BIRTHDAY"_s, u"SHOE_SIZE"_s, u"OPTIN_TIME"_s, u"OPTIN_IP"_s,
                                          u"CONFIRM_TIME"_s, u"CONFIRM_IP"_s, u"SOURCE_STATUS"_s,
                                          u"SUPPRESSION_REASON"_s, u"SUPPRESSION_TIME"_s}));
        QCOMPARE(brevo.at(0).type, FieldType::Text);
        QCOMPARE(brevo.at(7).type, FieldType::Number);
        QCOMPARE(brevo.at(8).type, FieldType::Date);
    }

    void brevoListAndAttributesOnceThenNothing()
    {
        const QList<FieldSpec> fields = InitialSetup::requiredFields(
            FieldMapping::suggest(sourceFields(), TargetPlatform::Brevo), TargetPlatform::Brevo);
        auto source = ConnectorFactory::source(settings(TargetPlatform::Brevo), m_network->client());
        auto target = ConnectorFactory::target(settings(TargetPlatform::Brevo), m_network->client());
        QVERIFY(source && target);

        // The dry run says what would be made, and makes nothing.
        int attributesBefore = 0;
        m_host.inspect([&](MailchimpSandbox &, BrevoSandbox &b, KlaviyoSandbox &) { attributesBefore = int(b.attributes().size()); });
        const Result<SetupReport> dry = wait(InitialSetup::dryRun(*source, u"Northwind migration"_s, fields));
        QVERIFY2(dry.ok(), qPrintable(dry.ok() ? QString() : dry.error().toString()));
        QVERIFY(dry->dryRun);
        QCOMPARE(dry->items.first().exists, false);
        QCOMPARE(dry->createdCount(), 1 + int(fields.size()));
        QVERIFY(dry->summary().contains(u"would be created"_s));
        int attributesAfterDry = 0;
        m_host.inspect([&](MailchimpSandbox &, BrevoSandbox &b, KlaviyoSandbox &) { attributesAfterDry = int(b.attributes().size()); });
        QCOMPARE(attributesAfterDry, attributesBefore);

        const Result<SetupReport> first = wait(InitialSetup::run(*target, u"Northwind migration"_s, fields));
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
        QCOMPARE(first->createdCount(), 1 + int(fields.size()));
        QVERIFY(!first->listId().isEmpty());
        QStringList onBrevo;
        m_host.inspect([&](MailchimpSandbox &, BrevoSandbox &b, KlaviyoSandbox &) {
            for (const BrevoAttribute &a : b.attributes())
                onBrevo.append(a.name);
        });
        for (const FieldSpec &f : fields)
            QVERIFY2(onBrevo.contains(f.name), qPrintable(f.name));

        // Again: everything is found, nothing created; the dry run agrees.
        const Result<SetupReport> second = wait(InitialSetup::run(*target, u"Northwind migration"_s, fields));
        QVERIFY(second.ok());
        QCOMPARE(second->createdCount(), 0);
        QCOMPARE(second->existingCount(), 1 + int(fields.size()));
        QCOMPARE(second->listId(), first->listId());
        const Result<SetupReport> dryAgain = wait(InitialSetup::dryRun(*source, u"Northwind migration"_s, fields));
        QVERIFY(dryAgain.ok());
        QCOMPARE(dryAgain->createdCount(), 0);
        QCOMPARE(names(dryAgain.value(), false).size(), fields.size());
        QVERIFY(names(dryAgain.value(), true).isEmpty());
    }

    void klaviyoNeedsOnlyTheList()
    {
        const QList<FieldSpec> fields = InitialSetup::requiredFields(
            FieldMapping::suggest(sourceFields(), TargetPlatform::Klaviyo), TargetPlatform::Klaviyo);
        auto target = ConnectorFactory::target(settings(TargetPlatform::Klaviyo), m_network->client());
        QVERIFY(target);
        const Result<SetupReport> first = wait(InitialSetup::run(*target, u"Northwind migration"_s, fields));
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
        QCOMPARE(first->createdCount(), 1); // the list; properties need no definition
        QString listName;
        m_host.inspect([&](MailchimpSandbox &, BrevoSandbox &, KlaviyoSandbox &k) {
            if (const KlaviyoList *l = k.list(first->listId()))
                listName = l->name;
        });
        QCOMPARE(listName, u"Northwind migration"_s);
        const Result<SetupReport> second = wait(InitialSetup::run(*target, u"Northwind migration"_s, fields));
        QVERIFY(second.ok());
        QCOMPARE(second->createdCount(), 0);
    }

    void aWrongKeyChangesNothing()
    {
        ConnectionSettings wrong = settings(TargetPlatform::Brevo);
        wrong.apiKey = u"xkeysib-wrong"_s;
        auto target = ConnectorFactory::target(wrong, m_network->client());
        int lists = 0;
        m_host.inspect([&](MailchimpSandbox &, BrevoSandbox &b, KlaviyoSandbox &) { lists = int(b.lists().size()); });
        const Result<SetupReport> r = wait(InitialSetup::run(*target, u"Another"_s, {}));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().httpStatus, 401);
        int after = 0;
        m_host.inspect([&](MailchimpSandbox &, BrevoSandbox &b, KlaviyoSandbox &) { after = int(b.lists().size()); });
        QCOMPARE(after, lists);
    }
};

QTEST_GUILESS_MAIN(tst_InitialSetup)
#include "tst_initialsetup.moc"

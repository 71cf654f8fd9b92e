#include "exports/exportdialect.h"

#include <QDebug>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ExportDialect)
Q_DECLARE_METATYPE(ColumnRole)

namespace {

// The headers the platforms write (esp-apis.md 1.9, 2.9, 3.9).
const QStringList kMailchimpSubscribed = {
    u"Email Address"_s, u"First Name"_s,   u"Last Name"_s,
    u"Address"_s,       u"Phone Number"_s, u"Birthday"_s,
    u"MEMBER_RATING"_s, u"OPTIN_TIME"_s,   u"OPTIN_IP"_s,
    u"CONFIRM_TIME"_s,  u"CONFIRM_IP"_s,   u"LATITUDE"_s,
    u"LONGITUDE"_s,     u"GMTOFF"_s,       u"DSTOFF"_s,
    u"TIMEZONE"_s,      u"CC"_s,           u"REGION"_s,
    u"LAST_CHANGED"_s,  u"LEID"_s,         u"EUID"_s,
    u"NOTES"_s,         u"TAGS"_s,
};
const QStringList kMailchimpUnsubscribed
    = kMailchimpSubscribed
      + QStringList{u"UNSUB_TIME"_s, u"UNSUB_CAMPAIGN_TITLE"_s, u"UNSUB_CAMPAIGN_ID"_s,
                    u"UNSUB_REASON"_s, u"UNSUB_REASON_OTHER"_s};
const QStringList kMailchimpCleaned
    = kMailchimpSubscribed
      + QStringList{u"CLEAN_TIME"_s, u"CLEAN_CAMPAIGN_TITLE"_s, u"CLEAN_CAMPAIGN_ID"_s};
const QStringList kBrevo = {u"EMAIL"_s,      u"FIRSTNAME"_s,     u"LASTNAME"_s,         u"SMS"_s,
                            u"ADDED_TIME"_s, u"MODIFIED_TIME"_s, u"EMAIL_BLACKLISTED"_s};
const QStringList kKlaviyo = {u"Email"_s,
                              u"Phone Number"_s,
                              u"First Name"_s,
                              u"Last Name"_s,
                              u"Klaviyo ID"_s,
                              u"Email Marketing Consent"_s,
                              u"Email Marketing Consent Timestamp"_s,
                              u"Profile Created On"_s,
                              u"Last Active"_s};

} // namespace

class tst_ExportDialect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keys();
    void recognise_data();
    void recognise();
    void columnRoles_data();
    void columnRoles();
    void columnNamesAreTrimmed();
    void noEmailColumn_data();
    void noEmailColumn();
};

void tst_ExportDialect::keys()
{
    for (const ExportDialect d : {ExportDialect::Mailchimp, ExportDialect::Brevo,
                                  ExportDialect::Klaviyo, ExportDialect::Generic}) {
        QCOMPARE(ExportDialects::fromKey(ExportDialects::key(d)), std::optional<ExportDialect>(d));
        QVERIFY(!ExportDialects::displayName(d).isEmpty());
    }
    QCOMPARE(ExportDialects::key(ExportDialect::Mailchimp), u"mailchimp"_s);
    QCOMPARE(ExportDialects::displayName(ExportDialect::Generic), u"Generic CSV"_s);
    QVERIFY(!ExportDialects::fromKey(u"hubspot"));
}

void tst_ExportDialect::recognise_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<ExportDialect>("dialect");
    QTest::addColumn<int>("emailColumn");
    QTest::addColumn<QString>("fileStatus"); // status key, empty when the file does not say
    QTest::addColumn<QString>("statusSource");

    const QString fromName = u"file name"_s;

    // Mailchimp: the status is in the file name, or in the columns only that file has.
    QTest::newRow("Mailchimp subscribed")
        << u"subscribed_members_export_2f1a9c.csv"_s << kMailchimpSubscribed
        << ExportDialect::Mailchimp << 0 << u"subscribed"_s << fromName;
    QTest::newRow("Mailchimp unsubscribed is not subscribed")
        << u"unsubscribed_members_export_2f1a9c.csv"_s << kMailchimpUnsubscribed
        << ExportDialect::Mailchimp << 0 << u"unsubscribed"_s << fromName;
    QTest::newRow("Mailchimp cleaned")
        << u"cleaned_members_export_2f1a9c.csv"_s << kMailchimpCleaned << ExportDialect::Mailchimp
        << 0 << u"cleaned"_s << fromName;
    QTest::newRow("Mailchimp current naming")
        << u"unsubscribed_email_audience_export_9b2c41.csv"_s << kMailchimpUnsubscribed
        << ExportDialect::Mailchimp << 0 << u"unsubscribed"_s << fromName;
    QTest::newRow("Mailchimp name in upper case, with a folder")
        << u"/home/ann/Downloads/UNSUBSCRIBED_members_export_1.csv"_s << kMailchimpSubscribed
        << ExportDialect::Mailchimp << 0 << u"unsubscribed"_s << fromName;
    QTest::newRow("Mailchimp non-subscribed")
        << u"nonsubscribed_members_export_1.csv"_s << kMailchimpSubscribed
        << ExportDialect::Mailchimp << 0 << u"transactional"_s << fromName;
    QTest::newRow("Mailchimp pending") << u"pending_members_export_1.csv"_s << kMailchimpSubscribed
                                       << ExportDialect::Mailchimp << 0 << u"pending"_s << fromName;
    QTest::newRow("Mailchimp by file name, without metadata columns")
        << u"subscribed_members_export_1.csv"_s << QStringList{u"Email Address"_s, u"First Name"_s}
        << ExportDialect::Mailchimp << 0 << u"subscribed"_s << fromName;
    QTest::newRow("Mailchimp renamed, UNSUB_TIME says unsubscribed")
        << u"list.csv"_s << kMailchimpUnsubscribed << ExportDialect::Mailchimp << 0
        << u"unsubscribed"_s << u"UNSUB_TIME column"_s;
    QTest::newRow("Mailchimp renamed, CLEAN_TIME says cleaned")
        << u"bounces.csv"_s << kMailchimpCleaned << ExportDialect::Mailchimp << 0 << u"cleaned"_s
        << u"CLEAN_TIME column"_s;
    QTest::newRow("Mailchimp renamed, status unknown")
        << u"audience.csv"_s << kMailchimpSubscribed << ExportDialect::Mailchimp << 0 << QString()
        << QString();
    QTest::newRow("Mailchimp, email not first")
        << u"audience.csv"_s
        << QStringList{u"First Name"_s, u"Email Address"_s, u"MEMBER_RATING"_s, u"OPTIN_TIME"_s}
        << ExportDialect::Mailchimp << 1 << QString() << QString();
    QTest::newRow("a name that only contains a status word")
        << u"my_subscribed_members.csv"_s << kMailchimpSubscribed << ExportDialect::Mailchimp << 0
        << QString() << QString();

    // Brevo.
    QTest::newRow("Brevo") << u"contacts.csv"_s << kBrevo << ExportDialect::Brevo << 0 << QString()
                           << u"column \"EMAIL_BLACKLISTED\""_s;
    QTest::newRow("Brevo, email not first, no blocklist column")
        << u"export.csv"_s
        << QStringList{u"CONTACT ID"_s, u"EMAIL"_s, u"FIRSTNAME"_s, u"LASTNAME"_s}
        << ExportDialect::Brevo << 1 << QString() << QString();

    // Klaviyo.
    QTest::newRow("Klaviyo") << u"profiles.csv"_s << kKlaviyo << ExportDialect::Klaviyo << 0
                             << QString() << u"column \"Email Marketing Consent\""_s;
    QTest::newRow("Klaviyo with suppressions")
        << u"profiles.csv"_s << kKlaviyo + QStringList{u"Email Suppressions"_s}
        << ExportDialect::Klaviyo << 0 << QString()
        << u"column \"Email Marketing Consent\" and column \"Email Suppressions\""_s;
    QTest::newRow("Klaviyo by its id column only")
        << u"segment.csv"_s << QStringList{u"Klaviyo ID"_s, u"First Name"_s, u"Email"_s}
        << ExportDialect::Klaviyo << 2 << QString() << QString();

    // Anything else with an email column.
    QTest::newRow("generic E-mail with Status")
        << u"sheet.csv"_s << QStringList{u"Name"_s, u"E-mail"_s, u"Status"_s}
        << ExportDialect::Generic << 1 << QString() << u"column \"Status\""_s;
    QTest::newRow("generic email_address")
        << u"sheet.csv"_s << QStringList{u"email_address"_s, u"first_name"_s}
        << ExportDialect::Generic << 0 << QString() << QString();
    QTest::newRow("generic Courriel")
        << u"clients.csv"_s << QStringList{u"Nom"_s, u"Prénom"_s, u"Courriel"_s}
        << ExportDialect::Generic << 2 << QString() << QString();
    QTest::newRow("generic Email without Klaviyo columns")
        << u"people.csv"_s << QStringList{u"Email"_s, u"Name"_s} << ExportDialect::Generic << 0
        << QString() << QString();
    QTest::newRow("generic EMAIL without Brevo columns")
        << u"people.csv"_s << QStringList{u"NAME"_s, u"EMAIL"_s} << ExportDialect::Generic << 1
        << QString() << QString();
    QTest::newRow("generic Email Address with a single Mailchimp column")
        << u"people.csv"_s << QStringList{u"Email Address"_s, u"MEMBER_RATING"_s}
        << ExportDialect::Generic << 0 << QString() << QString();
    QTest::newRow("generic, first of two email columns")
        << u"people.csv"_s << QStringList{u"Name"_s, u"Mail"_s, u"E-Mail"_s}
        << ExportDialect::Generic << 1 << QString() << QString();
    QTest::newRow("generic Subscription Status")
        << u"people.csv"_s << QStringList{u"Email"_s, u"Subscription Status"_s, u"Status"_s}
        << ExportDialect::Generic << 0 << QString() << u"column \"Subscription Status\""_s;
}

void tst_ExportDialect::recognise()
{
    QFETCH(QString, fileName);
    QFETCH(QStringList, header);
    QFETCH(ExportDialect, dialect);
    QFETCH(int, emailColumn);
    QFETCH(QString, fileStatus);
    QFETCH(QString, statusSource);

    const Result<ExportLayout> result = ExportDialectDetector::recognise(fileName, header);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const ExportLayout &layout = result.value();
    QCOMPARE(ExportDialects::key(layout.dialect), ExportDialects::key(dialect));
    QCOMPARE(layout.emailColumn, emailColumn);
    QCOMPARE(layout.columns.size(), header.size());
    QCOMPARE(layout.columns[emailColumn].role, ColumnRole::Email);
    QCOMPARE(layout.columnWithRole(ColumnRole::Email), emailColumn);
    QCOMPARE(layout.fileStatus ? ContactStatuses::key(*layout.fileStatus) : QString(), fileStatus);
    QCOMPARE(layout.statusSource, statusSource);
}

void tst_ExportDialect::columnRoles_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<QString>("column");
    QTest::addColumn<ColumnRole>("role");
    QTest::addColumn<QString>("knownType"); // field type key; empty: inferred from the values

    const QString mc = u"subscribed_members_export_1.csv"_s;
    QTest::newRow("Mailchimp Email Address")
        << mc << kMailchimpSubscribed << u"Email Address"_s << ColumnRole::Email << QString();
    QTest::newRow("Mailchimp merge field")
        << mc << kMailchimpSubscribed << u"First Name"_s << ColumnRole::CustomField << QString();
    QTest::newRow("Mailchimp address merge field")
        << mc << kMailchimpSubscribed << u"Address"_s << ColumnRole::CustomField << QString();
    QTest::newRow("Mailchimp MEMBER_RATING") << mc << kMailchimpSubscribed << u"MEMBER_RATING"_s
                                             << ColumnRole::MemberRating << u"number"_s;
    QTest::newRow("Mailchimp OPTIN_TIME")
        << mc << kMailchimpSubscribed << u"OPTIN_TIME"_s << ColumnRole::OptinTime << u"date"_s;
    QTest::newRow("Mailchimp OPTIN_IP")
        << mc << kMailchimpSubscribed << u"OPTIN_IP"_s << ColumnRole::OptinIp << u"text"_s;
    QTest::newRow("Mailchimp CONFIRM_TIME")
        << mc << kMailchimpSubscribed << u"CONFIRM_TIME"_s << ColumnRole::ConfirmTime << u"date"_s;
    QTest::newRow("Mailchimp CONFIRM_IP")
        << mc << kMailchimpSubscribed << u"CONFIRM_IP"_s << ColumnRole::ConfirmIp << u"text"_s;
    QTest::newRow("Mailchimp LAST_CHANGED")
        << mc << kMailchimpSubscribed << u"LAST_CHANGED"_s << ColumnRole::LastChanged << u"date"_s;
    QTest::newRow("Mailchimp LEID")
        << mc << kMailchimpSubscribed << u"LEID"_s << ColumnRole::SystemField << u"number"_s;
    QTest::newRow("Mailchimp EUID")
        << mc << kMailchimpSubscribed << u"EUID"_s << ColumnRole::SystemField << u"text"_s;
    QTest::newRow("Mailchimp LATITUDE")
        << mc << kMailchimpSubscribed << u"LATITUDE"_s << ColumnRole::SystemField << u"number"_s;
    QTest::newRow("Mailchimp TAGS")
        << mc << kMailchimpSubscribed << u"TAGS"_s << ColumnRole::Tags << u"tags"_s;
    QTest::newRow("Mailchimp UNSUB_TIME")
        << u"unsubscribed_members_export_1.csv"_s << kMailchimpUnsubscribed << u"UNSUB_TIME"_s
        << ColumnRole::SystemField << u"date"_s;
    // Mailchimp's own names are upper case: a merge field called "Tags" is the user's.
    QTest::newRow("Mailchimp merge field named like a metadata column")
        << mc << kMailchimpSubscribed + QStringList{u"Tags"_s} << u"Tags"_s
        << ColumnRole::CustomField << QString();

    QTest::newRow("Brevo EMAIL") << u"contacts.csv"_s << kBrevo << u"EMAIL"_s << ColumnRole::Email
                                 << QString();
    QTest::newRow("Brevo FIRSTNAME")
        << u"contacts.csv"_s << kBrevo << u"FIRSTNAME"_s << ColumnRole::CustomField << QString();
    QTest::newRow("Brevo SMS") << u"contacts.csv"_s << kBrevo << u"SMS"_s << ColumnRole::CustomField
                               << QString();
    QTest::newRow("Brevo ADDED_TIME")
        << u"contacts.csv"_s << kBrevo << u"ADDED_TIME"_s << ColumnRole::SystemField << u"date"_s;
    QTest::newRow("Brevo MODIFIED_TIME") << u"contacts.csv"_s << kBrevo << u"MODIFIED_TIME"_s
                                         << ColumnRole::LastChanged << u"date"_s;
    QTest::newRow("Brevo EMAIL_BLACKLISTED")
        << u"contacts.csv"_s << kBrevo << u"EMAIL_BLACKLISTED"_s << ColumnRole::Blocklisted
        << QString();

    QTest::newRow("Klaviyo Email")
        << u"p.csv"_s << kKlaviyo << u"Email"_s << ColumnRole::Email << QString();
    QTest::newRow("Klaviyo consent") << u"p.csv"_s << kKlaviyo << u"Email Marketing Consent"_s
                                     << ColumnRole::Status << QString();
    QTest::newRow("Klaviyo consent timestamp")
        << u"p.csv"_s << kKlaviyo << u"Email Marketing Consent Timestamp"_s << ColumnRole::ConsentTime
        << u"date"_s;
    QTest::newRow("Klaviyo ID") << u"p.csv"_s << kKlaviyo << u"Klaviyo ID"_s
                                << ColumnRole::SystemField << u"text"_s;
    QTest::newRow("Klaviyo Last Active")
        << u"p.csv"_s << kKlaviyo << u"Last Active"_s << ColumnRole::LastChanged << u"date"_s;
    QTest::newRow("Klaviyo custom property")
        << u"p.csv"_s << kKlaviyo << u"First Name"_s << ColumnRole::CustomField << QString();
    QTest::newRow("Klaviyo suppressions")
        << u"p.csv"_s << kKlaviyo + QStringList{u"Email Suppressions"_s} << u"Email Suppressions"_s
        << ColumnRole::SuppressionReason << QString();

    const QStringList sheet
        = {u"E-mail"_s, u"Status"_s, u"Tags"_s, u"optin_time"_s, u"Member Since"_s, u"leid"_s};
    QTest::newRow("generic email")
        << u"s.csv"_s << sheet << u"E-mail"_s << ColumnRole::Email << QString();
    QTest::newRow("generic status")
        << u"s.csv"_s << sheet << u"Status"_s << ColumnRole::Status << QString();
    QTest::newRow("generic tags") << u"s.csv"_s << sheet << u"Tags"_s << ColumnRole::Tags
                                  << u"tags"_s;
    QTest::newRow("generic opt-in time")
        << u"s.csv"_s << sheet << u"optin_time"_s << ColumnRole::OptinTime << u"date"_s;
    QTest::newRow("generic custom")
        << u"s.csv"_s << sheet << u"Member Since"_s << ColumnRole::CustomField << QString();
    // A column that is only platform metadata in a platform export stays the user's data here.
    QTest::newRow("generic leid") << u"s.csv"_s << sheet << u"leid"_s << ColumnRole::CustomField
                                  << QString();
}

void tst_ExportDialect::columnRoles()
{
    QFETCH(QString, fileName);
    QFETCH(QStringList, header);
    QFETCH(QString, column);
    QFETCH(ColumnRole, role);
    QFETCH(QString, knownType);

    const Result<ExportLayout> result = ExportDialectDetector::recognise(fileName, header);
    QVERIFY(result.ok());
    const int index = int(header.lastIndexOf(column));
    QVERIFY(index >= 0);
    const ExportColumn &c = result->columns[index];
    QCOMPARE(c.name, column);
    QCOMPARE(c.role, role);
    QCOMPARE(c.knownType ? FieldTypes::key(*c.knownType) : QString(), knownType);
}

void tst_ExportDialect::columnNamesAreTrimmed()
{
    const Result<ExportLayout> result = ExportDialectDetector::recognise(
        u"subscribed_members_export_1.csv"_s,
        {u" Email Address "_s, u"First Name "_s, u" OPTIN_TIME"_s});
    QVERIFY(result.ok());
    QCOMPARE(result->dialect, ExportDialect::Mailchimp);
    QCOMPARE(result->emailColumn, 0);
    QCOMPARE(result->columns[0].name, u"Email Address"_s);
    QCOMPARE(result->columns[1].name, u"First Name"_s);
    QCOMPARE(result->columns[2].role, ColumnRole::OptinTime);
}

void tst_ExportDialect::noEmailColumn_data()
{
    QTest::addColumn<QStringList>("header");
    QTest::addColumn<QString>("shown");

    QTest::newRow("three columns")
        << QStringList{u"Name"_s, u"Phone"_s, u"City"_s} << u"(Name, Phone, City)"_s;
    QTest::newRow("many columns are cut short")
        << QStringList{u"A"_s, u"B"_s, u"C"_s, u"D"_s, u"E"_s,
                       u"F"_s, u"G"_s, u"H"_s, u"I"_s, u"J"_s}
        << u"(A, B, C, D, E, F, G, H, ...)"_s;
    QTest::newRow("long names are cut short")
        << QStringList{QString(60, u'x'), u"Phone"_s} << u"(%1, Phone)"_s.arg(QString(40, u'x'));
    QTest::newRow("Mailchimp metadata without an email column")
        << QStringList{u"First Name"_s, u"MEMBER_RATING"_s, u"OPTIN_TIME"_s}
        << u"(First Name, MEMBER_RATING, OPTIN_TIME)"_s;
    QTest::newRow("a column that only mentions email")
        << QStringList{u"Email Status"_s, u"Name"_s} << u"(Email Status, Name)"_s;
}

void tst_ExportDialect::noEmailColumn()
{
    QFETCH(QStringList, header);
    QFETCH(QString, shown);

    const Result<ExportLayout> result
        = ExportDialectDetector::recognise(u"subscribed_members_export_1.csv"_s, header);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(u"no email column"_s),
             qPrintable(result.error().message));
    QVERIFY2(result.error().message.contains(shown), qPrintable(result.error().message));
    // The hint says which column names work and what to do.
    QVERIFY(result.error().hint.contains(u"\"Email Address\""_s));
    QVERIFY(result.error().hint.contains(u"rename"_s));
}

QTEST_GUILESS_MAIN(tst_ExportDialect)
#include "tst_exportdialect.moc"

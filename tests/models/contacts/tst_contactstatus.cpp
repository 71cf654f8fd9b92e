#include "contacts/contactstatus.h"

#include <QDebug>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ContactStatus)
Q_DECLARE_METATYPE(std::optional<ContactStatus>)

// For readable QCOMPARE failures.
QDebug operator<<(QDebug debug, const std::optional<ContactStatus> &status)
{
    return debug << (status ? ContactStatuses::key(*status) : u"nullopt"_s);
}

namespace {
const std::optional<ContactStatus> kNone = std::nullopt;
}

class tst_ContactStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keys_data();
    void keys();
    void keysAreDistinct();
    void fromKeyRejects_data();
    void fromKeyRejects();
    void fromText_data();
    void fromText();
    void fromSuppressionReason_data();
    void fromSuppressionReason();
    void isSuppression_data();
    void isSuppression();
};

void tst_ContactStatus::keys_data()
{
    QTest::addColumn<ContactStatus>("status");
    QTest::addColumn<QString>("key");

    // The keys are stored in project files: they must never change.
    QTest::newRow("subscribed") << ContactStatus::Subscribed << u"subscribed"_s;
    QTest::newRow("unsubscribed") << ContactStatus::Unsubscribed << u"unsubscribed"_s;
    QTest::newRow("cleaned") << ContactStatus::Cleaned << u"cleaned"_s;
    QTest::newRow("complained") << ContactStatus::Complained << u"complained"_s;
    QTest::newRow("pending") << ContactStatus::Pending << u"pending"_s;
    QTest::newRow("transactional") << ContactStatus::Transactional << u"transactional"_s;
    QTest::newRow("archived") << ContactStatus::Archived << u"archived"_s;
    QTest::newRow("unknown") << ContactStatus::Unknown << u"unknown"_s;
}

void tst_ContactStatus::keys()
{
    QFETCH(ContactStatus, status);
    QFETCH(QString, key);
    QCOMPARE(ContactStatuses::key(status), key);
    QCOMPARE(ContactStatuses::fromKey(key), std::optional<ContactStatus>(status));
    QVERIFY(!ContactStatuses::displayName(status).isEmpty());
}

void tst_ContactStatus::keysAreDistinct()
{
    QSet<QString> keys;
    QSet<QString> names;
    for (const ContactStatus s : kAllContactStatuses) {
        keys.insert(ContactStatuses::key(s));
        names.insert(ContactStatuses::displayName(s));
        QCOMPARE(ContactStatuses::fromKey(ContactStatuses::key(s)),
                 std::optional<ContactStatus>(s));
    }
    QCOMPARE(keys.size(), qsizetype(kAllContactStatuses.size()));
    QCOMPARE(names.size(), qsizetype(kAllContactStatuses.size()));
}

void tst_ContactStatus::fromKeyRejects_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("empty") << QString();
    QTest::newRow("display name, not key") << u"Subscribed"_s;
    QTest::newRow("platform word") << u"NEVER_SUBSCRIBED"_s;
    QTest::newRow("unrelated") << u"bogus"_s;
}

void tst_ContactStatus::fromKeyRejects()
{
    QFETCH(QString, key);
    QCOMPARE(ContactStatuses::fromKey(key), kNone);
}

void tst_ContactStatus::fromText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<std::optional<ContactStatus>>("status");

    // Mailchimp.
    QTest::newRow("subscribed") << QByteArray("subscribed")
                                << std::optional(ContactStatus::Subscribed);
    QTest::newRow("Unsubscribed") << QByteArray("Unsubscribed")
                                  << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("cleaned") << QByteArray("cleaned") << std::optional(ContactStatus::Cleaned);
    QTest::newRow("pending") << QByteArray("pending") << std::optional(ContactStatus::Pending);
    QTest::newRow("transactional")
        << QByteArray("transactional") << std::optional(ContactStatus::Transactional);
    QTest::newRow("archived") << QByteArray("archived") << std::optional(ContactStatus::Archived);
    // Klaviyo consent and suppression words.
    QTest::newRow("SUBSCRIBED") << QByteArray("SUBSCRIBED")
                                << std::optional(ContactStatus::Subscribed);
    QTest::newRow("UNSUBSCRIBED") << QByteArray("UNSUBSCRIBED")
                                  << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("NEVER_SUBSCRIBED")
        << QByteArray("NEVER_SUBSCRIBED") << std::optional(ContactStatus::Transactional);
    QTest::newRow("SPAM_COMPLAINT")
        << QByteArray("SPAM_COMPLAINT") << std::optional(ContactStatus::Complained);
    QTest::newRow("HARD_BOUNCE") << QByteArray("HARD_BOUNCE")
                                 << std::optional(ContactStatus::Cleaned);
    QTest::newRow("USER_SUPPRESSED")
        << QByteArray("USER_SUPPRESSED") << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("INVALID_EMAIL")
        << QByteArray("INVALID_EMAIL") << std::optional(ContactStatus::Cleaned);
    // Hand-made sheets.
    QTest::newRow("Hard bounce") << QByteArray("Hard bounce")
                                 << std::optional(ContactStatus::Cleaned);
    QTest::newRow("hard-bounce") << QByteArray("hard-bounce")
                                 << std::optional(ContactStatus::Cleaned);
    QTest::newRow("Bounced") << QByteArray("Bounced") << std::optional(ContactStatus::Cleaned);
    QTest::newRow("Spam") << QByteArray("Spam") << std::optional(ContactStatus::Complained);
    QTest::newRow("Non-subscribed")
        << QByteArray("Non-subscribed") << std::optional(ContactStatus::Transactional);
    QTest::newRow("Opted out") << QByteArray("Opted out")
                               << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("opt-in") << QByteArray("opt-in") << std::optional(ContactStatus::Subscribed);
    QTest::newRow("Active") << QByteArray("Active") << std::optional(ContactStatus::Subscribed);
    QTest::newRow("Blocklisted") << QByteArray("Blocklisted")
                                 << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("unconfirmed") << QByteArray("unconfirmed")
                                 << std::optional(ContactStatus::Pending);
    QTest::newRow("surrounding spaces")
        << QByteArray("  Subscribed \t") << std::optional(ContactStatus::Subscribed);

    QTest::newRow("empty") << QByteArray() << kNone;
    QTest::newRow("only punctuation") << QByteArray(" - ") << kNone;
    QTest::newRow("yes") << QByteArray("yes") << kNone;
    QTest::newRow("true") << QByteArray("true") << kNone;
    QTest::newRow("soft bounce") << QByteArray("soft bounce") << kNone;
    QTest::newRow("a word containing subscribed") << QByteArray("resubscribed") << kNone;
    QTest::newRow("a sentence") << QByteArray("subscribed yesterday") << kNone;
    QTest::newRow("French") << QByteArray("désabonné") << kNone;
}

void tst_ContactStatus::fromText()
{
    QFETCH(QByteArray, text);
    QFETCH(std::optional<ContactStatus>, status);
    QCOMPARE(ContactStatuses::fromText(text), status);
}

void tst_ContactStatus::isSuppression_data()
{
    QTest::addColumn<ContactStatus>("status");
    QTest::addColumn<bool>("suppression");

    QTest::newRow("subscribed") << ContactStatus::Subscribed << false;
    QTest::newRow("unsubscribed") << ContactStatus::Unsubscribed << true;
    QTest::newRow("cleaned") << ContactStatus::Cleaned << true;
    QTest::newRow("complained") << ContactStatus::Complained << true;
    QTest::newRow("pending") << ContactStatus::Pending << false;
    QTest::newRow("transactional") << ContactStatus::Transactional << false;
    QTest::newRow("archived") << ContactStatus::Archived << false;
    QTest::newRow("unknown") << ContactStatus::Unknown << false;
}

void tst_ContactStatus::isSuppression()
{
    QFETCH(ContactStatus, status);
    QFETCH(bool, suppression);
    QCOMPARE(ContactStatuses::isSuppression(status), suppression);
}

QTEST_GUILESS_MAIN(tst_ContactStatus)
void tst_ContactStatus::fromSuppressionReason_data()
{
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<std::optional<ContactStatus>>("expected");
    QTest::newRow("SPAM_COMPLAINT") << QByteArray("SPAM_COMPLAINT") << std::optional(ContactStatus::Complained);
    QTest::newRow("complaint") << QByteArray("Complaint") << std::optional(ContactStatus::Complained);
    QTest::newRow("HARD_BOUNCE") << QByteArray("HARD_BOUNCE") << std::optional(ContactStatus::Cleaned);
    QTest::newRow("INVALID_EMAIL") << QByteArray("invalid_email") << std::optional(ContactStatus::Cleaned);
    QTest::newRow("UNSUBSCRIBE") << QByteArray("UNSUBSCRIBE") << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("USER_SUPPRESSED") << QByteArray("USER_SUPPRESSED") << std::optional(ContactStatus::Unsubscribed);
    QTest::newRow("several, the worst first") << QByteArray("UNSUBSCRIBE, SPAM_COMPLAINT")
                                              << std::optional(ContactStatus::Complained);
    QTest::newRow("empty") << QByteArray() << std::optional<ContactStatus>();
    QTest::newRow("other") << QByteArray("MANUAL") << std::optional<ContactStatus>();
}

void tst_ContactStatus::fromSuppressionReason()
{
    QFETCH(QByteArray, reason);
    QFETCH(std::optional<ContactStatus>, expected);
    QCOMPARE(ContactStatuses::fromSuppressionReason(reason), expected);
}

#include "tst_contactstatus.moc"

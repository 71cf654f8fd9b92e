#include "connectors/consentmapping.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ContactStatus)
Q_DECLARE_METATYPE(TargetPlatform)
Q_DECLARE_METATYPE(WriteWave)
Q_DECLARE_METATYPE(MappingCaveat)

namespace {

const QDateTime kOptin(QDate(2019, 3, 4), QTime(10, 0), Qt::UTC);
const QDateTime kConfirm(QDate(2019, 3, 4), QTime(10, 5), Qt::UTC);
const QDateTime kLeft(QDate(2023, 7, 1), QTime(8, 30), Qt::UTC);

ConsentEvidence fullEvidence()
{
    ConsentEvidence e;
    e.optinTime = kOptin;
    e.optinIp = u"192.0.2.1"_s;
    e.confirmTime = kConfirm;
    e.confirmIp = u"192.0.2.2"_s;
    e.suppressionTime = kLeft;
    e.suppressionReason = u"No longer interested"_s;
    return e;
}

ConsentEvidence optinOnly()
{
    ConsentEvidence e;
    e.optinTime = kOptin;
    return e;
}

ConsentEvidence futureOnly()
{
    ConsentEvidence e;
    e.confirmTime = QDateTime::currentDateTimeUtc().addDays(30);
    return e;
}

// The evidence sets every invariant is checked with.
QList<std::pair<const char *, ConsentEvidence>> evidenceVariants()
{
    ConsentEvidence blank;
    blank.optinIp = u"  "_s; // whitespace is no evidence
    return {{"full", fullEvidence()},
            {"none", ConsentEvidence()},
            {"opt-in only", optinOnly()},
            {"future time", futureOnly()},
            {"blank ip", blank}};
}

// The platform-specific part of a write, spelled in the platforms' own terms.
QString summary(const ContactWrite &w)
{
    if (w.wave == WriteWave::Skip)
        return u"skip"_s;
    switch (w.platform) {
    case TargetPlatform::Mailchimp:
        return u"status=%1 update_existing=%2"_s.arg(
            w.mailchimp.status, w.mailchimp.updateExisting ? u"true"_s : u"false"_s);
    case TargetPlatform::Brevo:
        return u"emailBlacklisted=%1 list=%2"_s.arg(
            w.brevo.emailBlacklisted ? u"true"_s : u"omitted"_s,
            w.brevo.marketingList ? u"marketing"_s : u"none"_s);
    case TargetPlatform::Klaviyo: {
        QStringList steps;
        if (w.klaviyo.importProfile)
            steps << u"import"_s;
        switch (w.klaviyo.consent) {
        case KlaviyoWrite::Consent::None: break;
        case KlaviyoWrite::Consent::Subscribe:
            steps << u"subscribe(historical_import=%1, consented_at=%2)"_s.arg(
                w.klaviyo.historicalImport ? u"true"_s : u"false"_s,
                w.klaviyo.consentedAt.toString(Qt::ISODate));
            break;
        case KlaviyoWrite::Consent::Unsubscribe: steps << u"unsubscribe"_s; break;
        case KlaviyoWrite::Consent::Suppress: steps << u"suppress"_s; break;
        }
        if (w.klaviyo.addToList)
            steps << u"list"_s;
        return steps.join(u" + "_s);
    }
    }
    return {};
}

// What the platform holds after the write, per its documentation (esp-apis.md 1.4, 2.4, 2.6,
// 3.4, 3.6), starting from a contact the target does not have yet or from an existing state.
TargetState applyWrite(const ContactWrite &w, const std::optional<TargetState> &existing = {})
{
    TargetState t = existing.value_or(TargetState());
    t.platform = w.platform;
    const QString field = w.platform == TargetPlatform::Mailchimp ? u"SRCSTATUS"_s
                                                                   : u"SOURCE_STATUS"_s;
    t.sourceStatusField = w.attribute(field).toString();
    switch (w.platform) {
    case TargetPlatform::Mailchimp:
        // PUT: status_if_new for a new member; status only changes an existing one.
        if (!existing || w.mailchimp.updateExisting)
            t.mailchimpStatus = w.mailchimp.status;
        break;
    case TargetPlatform::Brevo:
        // emailBlacklisted is only ever written as true; listIds adds.
        t.brevoEmailBlacklisted = t.brevoEmailBlacklisted || w.brevo.emailBlacklisted;
        t.brevoInMarketingList = t.brevoInMarketingList || w.brevo.marketingList;
        break;
    case TargetPlatform::Klaviyo:
        if (t.klaviyoConsent.isEmpty())
            t.klaviyoConsent = u"NEVER_SUBSCRIBED"_s; // a new profile
        switch (w.klaviyo.consent) {
        case KlaviyoWrite::Consent::None: break;
        case KlaviyoWrite::Consent::Subscribe:
            t.klaviyoConsent = u"SUBSCRIBED"_s;
            t.klaviyoSuppressions.removeAll(u"UNSUBSCRIBE"_s);
            t.klaviyoSuppressions.removeAll(u"SPAM_COMPLAINT"_s);
            t.klaviyoSuppressions.removeAll(u"USER_SUPPRESSED"_s);
            break;
        case KlaviyoWrite::Consent::Unsubscribe:
            t.klaviyoConsent = u"UNSUBSCRIBED"_s;
            t.klaviyoSuppressions << u"UNSUBSCRIBE"_s;
            break;
        case KlaviyoWrite::Consent::Suppress: t.klaviyoSuppressions << u"USER_SUPPRESSED"_s; break;
        }
        break;
    }
    return t;
}

QString statusKey(const std::optional<ContactStatus> &s)
{
    return s ? ContactStatuses::key(*s) : u"-"_s;
}

} // namespace

class tst_ConsentMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void targetPlatforms();
    void mapping_data();
    void mapping();
    void nothingButSubscribedIsMarketable();
    void noDoubleOptIn();
    void suppressionsAreWaveZero();
    void evidenceCarriedWhenPresent();
    void evidenceAbsentWhenMissing();
    void evidenceFieldsCoverEveryWrite();
    void roundTripNeverMoreSubscribed();
    void existingTargetStateIsNotRaised();
    void statusOnTarget_data();
    void statusOnTarget();
    void consentViolation();
    void descriptions();
};

void tst_ConsentMapping::targetPlatforms()
{
    // The keys are the catalog ids and the export dialect keys.
    QCOMPARE(TargetPlatforms::key(TargetPlatform::Mailchimp), u"mailchimp"_s);
    QCOMPARE(TargetPlatforms::key(TargetPlatform::Brevo), u"brevo"_s);
    QCOMPARE(TargetPlatforms::key(TargetPlatform::Klaviyo), u"klaviyo"_s);
    for (const TargetPlatform p : kAllTargetPlatforms) {
        QCOMPARE(TargetPlatforms::fromKey(TargetPlatforms::key(p)), std::optional(p));
        QVERIFY(!TargetPlatforms::displayName(p).isEmpty());
        const auto dialect = ExportDialects::fromKey(TargetPlatforms::key(p));
        QVERIFY(dialect);
        QCOMPARE(TargetPlatforms::fromDialect(*dialect), std::optional(p));
    }
    QCOMPARE(TargetPlatforms::fromDialect(ExportDialect::Generic), std::nullopt);
    QCOMPARE(TargetPlatforms::fromKey(u"generic"), std::nullopt);
}

void tst_ConsentMapping::mapping_data()
{
    QTest::addColumn<ContactStatus>("status");
    QTest::addColumn<TargetPlatform>("platform");
    QTest::addColumn<WriteWave>("wave");
    QTest::addColumn<QString>("write");
    QTest::addColumn<QString>("onTarget");
    QTest::addColumn<MappingCaveat>("caveat");

    // Hand-written from esp-apis.md 4.1 (and 1.3/1.4, 2.6, 3.4/3.6), with full evidence: the
    // confirmation time is the Klaviyo consent time.
    using S = ContactStatus;
    using P = TargetPlatform;
    using W = WriteWave;
    using C = MappingCaveat;
    const QString mcSuppressed = u"status=%1 update_existing=true"_s;
    const QString mcNew = u"status=%1 update_existing=false"_s;
    const QString brevoBlock = u"emailBlacklisted=true list=none"_s;
    const QString brevoNone = u"emailBlacklisted=omitted list=none"_s;

    QTest::newRow("subscribed -> mailchimp") << S::Subscribed << P::Mailchimp << W::Subscriber
        << mcNew.arg(u"subscribed") << u"subscribed"_s << C::None;
    QTest::newRow("unsubscribed -> mailchimp") << S::Unsubscribed << P::Mailchimp << W::Suppression
        << mcSuppressed.arg(u"unsubscribed") << u"unsubscribed"_s << C::None;
    QTest::newRow("cleaned -> mailchimp") << S::Cleaned << P::Mailchimp << W::Suppression
        << mcSuppressed.arg(u"cleaned") << u"cleaned"_s << C::None;
    QTest::newRow("complained -> mailchimp") << S::Complained << P::Mailchimp << W::Suppression
        << mcSuppressed.arg(u"unsubscribed") << u"complained"_s << C::NoComplainedStatus;
    QTest::newRow("pending -> mailchimp") << S::Pending << P::Mailchimp << W::NonMarketable
        << mcNew.arg(u"transactional") << u"pending"_s << C::None;
    QTest::newRow("transactional -> mailchimp") << S::Transactional << P::Mailchimp
        << W::NonMarketable << mcNew.arg(u"transactional") << u"transactional"_s << C::None;
    QTest::newRow("archived -> mailchimp") << S::Archived << P::Mailchimp << W::Skip << u"skip"_s
        << u"-"_s << C::NoArchivedStatus;
    QTest::newRow("unknown -> mailchimp") << S::Unknown << P::Mailchimp << W::NonMarketable
        << mcNew.arg(u"transactional") << u"unknown"_s << C::None;

    QTest::newRow("subscribed -> brevo") << S::Subscribed << P::Brevo << W::Subscriber
        << u"emailBlacklisted=omitted list=marketing"_s << u"subscribed"_s << C::None;
    QTest::newRow("unsubscribed -> brevo") << S::Unsubscribed << P::Brevo << W::Suppression
        << brevoBlock << u"unsubscribed"_s << C::None;
    QTest::newRow("cleaned -> brevo") << S::Cleaned << P::Brevo << W::Suppression << brevoBlock
        << u"cleaned"_s << C::None;
    QTest::newRow("complained -> brevo") << S::Complained << P::Brevo << W::Suppression
        << brevoBlock << u"complained"_s << C::None;
    QTest::newRow("pending -> brevo") << S::Pending << P::Brevo << W::NonMarketable << brevoNone
        << u"pending"_s << C::None;
    QTest::newRow("transactional -> brevo") << S::Transactional << P::Brevo << W::NonMarketable
        << brevoNone << u"transactional"_s << C::None;
    QTest::newRow("archived -> brevo") << S::Archived << P::Brevo << W::NonMarketable << brevoNone
        << u"archived"_s << C::None;
    QTest::newRow("unknown -> brevo") << S::Unknown << P::Brevo << W::NonMarketable << brevoNone
        << u"unknown"_s << C::None;

    QTest::newRow("subscribed -> klaviyo") << S::Subscribed << P::Klaviyo << W::Subscriber
        << u"import + subscribe(historical_import=true, consented_at=2019-03-04T10:05:00Z) + list"_s
        << u"subscribed"_s << C::None;
    QTest::newRow("unsubscribed -> klaviyo") << S::Unsubscribed << P::Klaviyo << W::Suppression
        << u"import + unsubscribe"_s << u"unsubscribed"_s << C::None;
    QTest::newRow("cleaned -> klaviyo") << S::Cleaned << P::Klaviyo << W::Suppression
        << u"import + suppress"_s << u"cleaned"_s << C::None;
    QTest::newRow("complained -> klaviyo") << S::Complained << P::Klaviyo << W::Suppression
        << u"import + suppress"_s << u"complained"_s << C::None;
    QTest::newRow("pending -> klaviyo") << S::Pending << P::Klaviyo << W::NonMarketable
        << u"import"_s << u"pending"_s << C::None;
    QTest::newRow("transactional -> klaviyo") << S::Transactional << P::Klaviyo
        << W::NonMarketable << u"import"_s << u"transactional"_s << C::None;
    QTest::newRow("archived -> klaviyo") << S::Archived << P::Klaviyo << W::NonMarketable
        << u"import"_s << u"archived"_s << C::None;
    QTest::newRow("unknown -> klaviyo") << S::Unknown << P::Klaviyo << W::NonMarketable
        << u"import"_s << u"unknown"_s << C::None;
}

void tst_ConsentMapping::mapping()
{
    QFETCH(ContactStatus, status);
    QFETCH(TargetPlatform, platform);
    QFETCH(WriteWave, wave);
    QFETCH(QString, write);
    QFETCH(QString, onTarget);
    QFETCH(MappingCaveat, caveat);

    const ContactWrite w = ConsentMapping::map(status, fullEvidence(), platform);
    QCOMPARE(w.platform, platform);
    QCOMPARE(w.source, status);
    QCOMPARE(w.wave, wave);
    QCOMPARE(summary(w), write);
    QCOMPARE(statusKey(w.expectedOnTarget), onTarget);
    QCOMPARE(w.caveat, caveat);
}

void tst_ConsentMapping::nothingButSubscribedIsMarketable()
{
    for (const auto &[name, evidence] : evidenceVariants()) {
        for (const TargetPlatform p : kAllTargetPlatforms) {
            for (const ContactStatus s : kAllContactStatuses) {
                const ContactWrite w = ConsentMapping::map(s, evidence, p);
                const QByteArray what = ContactStatuses::key(s).toUtf8() + " -> "
                    + TargetPlatforms::key(p).toUtf8() + ", evidence " + name;
                QVERIFY2(w.level() <= ConsentMapping::level(s), what);
                if (s != ContactStatus::Subscribed) {
                    QVERIFY2(!w.grantsMarketing(), what);
                    QVERIFY2(w.wave != WriteWave::Subscriber, what);
                    QVERIFY2(w.mailchimp.status != u"subscribed", what);
                    QVERIFY2(!w.brevo.marketingList, what);
                    QVERIFY2(w.klaviyo.consent != KlaviyoWrite::Consent::Subscribe, what);
                    QVERIFY2(!w.klaviyo.addToList, what);
                }
            }
        }
    }
    // With its evidence a subscriber stays one everywhere.
    for (const TargetPlatform p : kAllTargetPlatforms) {
        const ContactWrite w = ConsentMapping::map(ContactStatus::Subscribed, fullEvidence(), p);
        QVERIFY(w.grantsMarketing());
        QCOMPARE(w.level(), ConsentLevel::Marketable);
    }
}

void tst_ConsentMapping::noDoubleOptIn()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &[name, evidence] : evidenceVariants()) {
        for (const TargetPlatform p : kAllTargetPlatforms) {
            for (const ContactStatus s : kAllContactStatuses) {
                const ContactWrite w = ConsentMapping::map(s, evidence, p);
                const QByteArray what = ContactStatuses::key(s).toUtf8() + " -> "
                    + TargetPlatforms::key(p).toUtf8() + ", evidence " + name;
                QVERIFY2(!w.triggersDoubleOptIn(), what);
                QVERIFY2(w.mailchimp.status != u"pending", what);
                if (w.klaviyo.consent == KlaviyoWrite::Consent::Subscribe) {
                    QVERIFY2(w.klaviyo.historicalImport, what);
                    QVERIFY2(w.klaviyo.consentedAt.isValid() && w.klaviyo.consentedAt < now, what);
                }
            }
        }
    }
    // No consent time for Klaviyo: the profile is written without consent, and the report says so.
    for (const ConsentEvidence &e : {ConsentEvidence(), futureOnly()}) {
        const ContactWrite w = ConsentMapping::map(ContactStatus::Subscribed, e,
                                                   TargetPlatform::Klaviyo);
        QCOMPARE(summary(w), u"import"_s);
        QCOMPARE(w.wave, WriteWave::NonMarketable);
        QCOMPARE(w.caveat, MappingCaveat::NoConsentTime);
        QCOMPARE(w.expectedOnTarget, std::optional(ContactStatus::Transactional));
    }
    // Without a confirmation the sign-up time is the consent time (esp-apis.md 4.1).
    const ContactWrite w = ConsentMapping::map(ContactStatus::Subscribed, optinOnly(),
                                               TargetPlatform::Klaviyo);
    QCOMPARE(w.klaviyo.consentedAt, kOptin);
}

void tst_ConsentMapping::suppressionsAreWaveZero()
{
    QCOMPARE(int(WriteWave::Suppression), 0); // written before every other wave
    for (const auto &[name, evidence] : evidenceVariants()) {
        for (const TargetPlatform p : kAllTargetPlatforms) {
            for (const ContactStatus s : kAllContactStatuses) {
                const ContactWrite w = ConsentMapping::map(s, evidence, p);
                const QByteArray what = ContactStatuses::key(s).toUtf8() + " -> "
                    + TargetPlatforms::key(p).toUtf8();
                const bool suppression = ContactStatuses::isSuppression(s);
                QVERIFY2((w.wave == WriteWave::Suppression) == suppression, what);
                QVERIFY2(w.suppresses() == suppression, what);
                QVERIFY2((w.level() == ConsentLevel::Suppressed) == suppression, what);
                // Only a suppression may change a status the target already has (Mailchimp).
                const bool mailchimp = p == TargetPlatform::Mailchimp;
                QVERIFY2(w.mailchimp.updateExisting == (suppression && mailchimp), what);
            }
        }
    }
}

void tst_ConsentMapping::evidenceCarriedWhenPresent()
{
    for (const ContactStatus s : kAllContactStatuses) {
        const QByteArray what = ContactStatuses::key(s).toUtf8();
        for (const TargetPlatform p : {TargetPlatform::Brevo, TargetPlatform::Klaviyo}) {
            // No native opt-in fields: custom attributes / properties (esp-apis.md 2.3, 3.3).
            const ContactWrite w = ConsentMapping::map(s, fullEvidence(), p);
            QCOMPARE(w.attribute(u"OPTIN_TIME").toDateTime(), kOptin);
            QCOMPARE(w.attribute(u"OPTIN_IP").toString(), u"192.0.2.1"_s);
            QCOMPARE(w.attribute(u"CONFIRM_TIME").toDateTime(), kConfirm);
            QCOMPARE(w.attribute(u"CONFIRM_IP").toString(), u"192.0.2.2"_s);
            QCOMPARE(w.attribute(u"SUPPRESSION_TIME").toDateTime(), kLeft);
            QCOMPARE(w.attribute(u"SUPPRESSION_REASON").toString(), u"No longer interested"_s);
            QVERIFY2(w.attribute(u"SOURCE_STATUS").toString() == ContactStatuses::key(s), what);
        }
        // Mailchimp holds them natively (esp-apis.md 1.4, 1.9).
        const ContactWrite m = ConsentMapping::map(s, fullEvidence(), TargetPlatform::Mailchimp);
        if (m.wave == WriteWave::Skip) {
            QVERIFY(m.attributes.isEmpty());
            continue;
        }
        QCOMPARE(m.mailchimp.timestampSignup, kOptin);
        QCOMPARE(m.mailchimp.ipSignup, u"192.0.2.1"_s);
        QCOMPARE(m.mailchimp.timestampOpt, kConfirm);
        QCOMPARE(m.mailchimp.ipOpt, u"192.0.2.2"_s);
        QVERIFY2(!m.attribute(u"OPTIN_TIME").isValid(), what);
        QCOMPARE(m.attribute(u"SRCSTATUS").toString(), ContactStatuses::key(s));
        QCOMPARE(m.attribute(u"SUPPREASON").toString(), u"No longer interested"_s);
        QCOMPARE(m.attribute(u"SUPPTIME").toDateTime(), kLeft);
    }
    // The Klaviyo consent time is the confirmation.
    QCOMPARE(ConsentMapping::map(ContactStatus::Subscribed, fullEvidence(), TargetPlatform::Klaviyo)
                 .klaviyo.consentedAt,
             kConfirm);
}

void tst_ConsentMapping::evidenceAbsentWhenMissing()
{
    ConsentEvidence blank;
    blank.optinIp = u"  "_s;
    blank.suppressionReason = u"\t"_s;
    for (const ConsentEvidence &e : {ConsentEvidence(), blank}) {
        for (const TargetPlatform p : kAllTargetPlatforms) {
            for (const ContactStatus s : kAllContactStatuses) {
                const ContactWrite w = ConsentMapping::map(s, e, p);
                const QByteArray what = ContactStatuses::key(s).toUtf8() + " -> "
                    + TargetPlatforms::key(p).toUtf8();
                // Only the source status: no empty values that would clear the target's fields.
                if (w.wave == WriteWave::Skip) {
                    QVERIFY2(w.attributes.isEmpty(), what);
                } else {
                    QVERIFY2(w.attributes.size() == 1, what);
                    QVERIFY2(w.attributes.first().name.endsWith(u"STATUS"), what);
                }
                QVERIFY2(!w.mailchimp.timestampSignup.isValid(), what);
                QVERIFY2(!w.mailchimp.timestampOpt.isValid(), what);
                QVERIFY2(w.mailchimp.ipSignup.isEmpty() && w.mailchimp.ipOpt.isEmpty(), what);
            }
        }
    }
    // Part of the evidence: exactly that part.
    const ContactWrite w = ConsentMapping::map(ContactStatus::Subscribed, optinOnly(),
                                               TargetPlatform::Brevo);
    QStringList names;
    for (const EvidenceValue &v : w.attributes)
        names << v.name;
    QCOMPARE(names, QStringList({u"OPTIN_TIME"_s, u"SOURCE_STATUS"_s}));
}

void tst_ConsentMapping::evidenceFieldsCoverEveryWrite()
{
    for (const TargetPlatform p : kAllTargetPlatforms) {
        QSet<QString> defined;
        for (const EvidenceField &f : ConsentMapping::evidenceFields(p))
            defined.insert(f.name);
        for (const ContactStatus s : kAllContactStatuses) {
            for (const EvidenceValue &v : ConsentMapping::map(s, fullEvidence(), p).attributes)
                QVERIFY2(defined.contains(v.name), qPrintable(v.name));
        }
    }
}

void tst_ConsentMapping::roundTripNeverMoreSubscribed()
{
    for (const auto &[name, evidence] : evidenceVariants()) {
        for (const TargetPlatform p : kAllTargetPlatforms) {
            for (const ContactStatus s : kAllContactStatuses) {
                const ContactWrite w = ConsentMapping::map(s, evidence, p);
                const QByteArray what = ContactStatuses::key(s).toUtf8() + " -> "
                    + TargetPlatforms::key(p).toUtf8() + ", evidence " + name;
                if (w.wave == WriteWave::Skip) {
                    QVERIFY2(!w.expectedOnTarget, what);
                    continue;
                }
                const ContactStatus back = ConsentMapping::statusOnTarget(applyWrite(w));
                QVERIFY2(!ConsentMapping::isConsentViolation(s, back),
                         what + " reads back as " + ContactStatuses::key(back).toUtf8());
                QVERIFY2(w.expectedOnTarget == back,
                         what + " reads back as " + ContactStatuses::key(back).toUtf8());
            }
        }
    }
}

void tst_ConsentMapping::existingTargetStateIsNotRaised()
{
    // Someone who unsubscribed on the target stays unsubscribed when the source has them
    // subscribed: Mailchimp writes status_if_new only, Brevo never writes emailBlacklisted=false.
    TargetState mc;
    mc.platform = TargetPlatform::Mailchimp;
    mc.mailchimpStatus = u"unsubscribed"_s;
    TargetState brevo;
    brevo.platform = TargetPlatform::Brevo;
    brevo.brevoEmailBlacklisted = true;
    for (const TargetState &existing : {mc, brevo}) {
        for (const ContactStatus s : kAllContactStatuses) {
            const ContactWrite w = ConsentMapping::map(s, fullEvidence(), existing.platform);
            if (w.wave == WriteWave::Skip)
                continue;
            const ContactStatus back = ConsentMapping::statusOnTarget(applyWrite(w, existing));
            QVERIFY2(ConsentMapping::level(back) == ConsentLevel::Suppressed,
                     qPrintable(ContactStatuses::key(s)));
        }
    }
}

void tst_ConsentMapping::statusOnTarget_data()
{
    QTest::addColumn<TargetPlatform>("platform");
    QTest::addColumn<QString>("mcStatus");
    QTest::addColumn<bool>("blacklisted");
    QTest::addColumn<bool>("inList");
    QTest::addColumn<bool>("listUnsubscribed");
    QTest::addColumn<QString>("consent");
    QTest::addColumn<QStringList>("suppressions");
    QTest::addColumn<QString>("sourceField");
    QTest::addColumn<ContactStatus>("expected");

    using P = TargetPlatform;
    using S = ContactStatus;
    const QStringList none;
    // Mailchimp member.status.
    QTest::newRow("mc subscribed") << P::Mailchimp << u"subscribed"_s << false << false << false
                                   << QString() << none << QString() << S::Subscribed;
    QTest::newRow("mc Subscribed, spaces") << P::Mailchimp << u" Subscribed "_s << false << false
        << false << QString() << none << QString() << S::Subscribed;
    QTest::newRow("mc pending") << P::Mailchimp << u"pending"_s << false << false << false
                                << QString() << none << QString() << S::Pending;
    QTest::newRow("mc archived") << P::Mailchimp << u"archived"_s << false << false << false
                                 << QString() << none << QString() << S::Archived;
    QTest::newRow("mc cleaned") << P::Mailchimp << u"cleaned"_s << false << false << false
                                << QString() << none << QString() << S::Cleaned;
    QTest::newRow("mc unsubscribed, complained") << P::Mailchimp << u"unsubscribed"_s << false
        << false << false << QString() << none << u"complained"_s << S::Complained;
    QTest::newRow("mc transactional, pending") << P::Mailchimp << u"transactional"_s << false
        << false << false << QString() << none << u"pending"_s << S::Pending;
    QTest::newRow("mc subscribed, field says unsubscribed") << P::Mailchimp << u"subscribed"_s
        << false << false << false << QString() << none << u"unsubscribed"_s << S::Subscribed;
    QTest::newRow("mc transactional, field says subscribed") << P::Mailchimp
        << u"transactional"_s << false << false << false << QString() << none << u"subscribed"_s
        << S::Transactional;
    QTest::newRow("mc not a status") << P::Mailchimp << u"complained"_s << false << false << false
                                     << QString() << none << QString() << S::Unknown;
    // Brevo emailBlacklisted and list membership.
    QTest::newRow("brevo in list") << P::Brevo << QString() << false << true << false << QString()
                                   << none << QString() << S::Subscribed;
    QTest::newRow("brevo in list, field says pending") << P::Brevo << QString() << false << true
        << false << QString() << none << u"pending"_s << S::Subscribed;
    QTest::newRow("brevo blocklisted in list") << P::Brevo << QString() << true << true << false
        << QString() << none << QString() << S::Unsubscribed;
    QTest::newRow("brevo blocklisted, cleaned") << P::Brevo << QString() << true << false << false
        << QString() << none << u"cleaned"_s << S::Cleaned;
    QTest::newRow("brevo blocklisted, field says subscribed") << P::Brevo << QString() << true
        << false << false << QString() << none << u"subscribed"_s << S::Unsubscribed;
    QTest::newRow("brevo unsubscribed from list") << P::Brevo << QString() << false << true << true
        << QString() << none << QString() << S::Unsubscribed;
    QTest::newRow("brevo no list") << P::Brevo << QString() << false << false << false << QString()
                                   << none << QString() << S::Transactional;
    QTest::newRow("brevo no list, archived") << P::Brevo << QString() << false << false << false
        << QString() << none << u"archived"_s << S::Archived;
    QTest::newRow("brevo no list, field says subscribed") << P::Brevo << QString() << false
        << false << false << QString() << none << u"subscribed"_s << S::Transactional;
    // Klaviyo consent and suppressions.
    QTest::newRow("klaviyo SUBSCRIBED") << P::Klaviyo << QString() << false << false << false
        << u"SUBSCRIBED"_s << none << QString() << S::Subscribed;
    QTest::newRow("klaviyo SUBSCRIBED, hard bounce") << P::Klaviyo << QString() << false << false
        << false << u"SUBSCRIBED"_s << QStringList{u"HARD_BOUNCE"_s} << QString() << S::Cleaned;
    QTest::newRow("klaviyo spam complaint") << P::Klaviyo << QString() << false << false << false
        << u"NEVER_SUBSCRIBED"_s << QStringList{u"SPAM_COMPLAINT"_s} << QString() << S::Complained;
    QTest::newRow("klaviyo invalid email") << P::Klaviyo << QString() << false << false << false
        << u"NEVER_SUBSCRIBED"_s << QStringList{u"INVALID_EMAIL"_s} << QString() << S::Cleaned;
    QTest::newRow("klaviyo user suppressed") << P::Klaviyo << QString() << false << false << false
        << u"SUBSCRIBED"_s << QStringList{u"USER_SUPPRESSED"_s} << QString() << S::Unsubscribed;
    QTest::newRow("klaviyo user suppressed, cleaned") << P::Klaviyo << QString() << false << false
        << false << u"NEVER_SUBSCRIBED"_s << QStringList{u"USER_SUPPRESSED"_s} << u"cleaned"_s
        << S::Cleaned;
    QTest::newRow("klaviyo UNSUBSCRIBED") << P::Klaviyo << QString() << false << false << false
        << u"UNSUBSCRIBED"_s << none << QString() << S::Unsubscribed;
    QTest::newRow("klaviyo list suppression") << P::Klaviyo << QString() << false << true << false
        << u"SUBSCRIBED"_s << none << QString() << S::Unsubscribed;
    QTest::newRow("klaviyo NEVER_SUBSCRIBED") << P::Klaviyo << QString() << false << false << false
        << u"NEVER_SUBSCRIBED"_s << none << QString() << S::Transactional;
    QTest::newRow("klaviyo NEVER_SUBSCRIBED, pending") << P::Klaviyo << QString() << false << false
        << false << u"NEVER_SUBSCRIBED"_s << none << u"pending"_s << S::Pending;
    QTest::newRow("klaviyo SUBSCRIBED, field says unsubscribed") << P::Klaviyo << QString()
        << false << false << false << u"SUBSCRIBED"_s << none << u"unsubscribed"_s
        << S::Subscribed;
    QTest::newRow("klaviyo unknown consent") << P::Klaviyo << QString() << false << false << false
        << u"SOMETHING_NEW"_s << none << QString() << S::Unknown;
}

void tst_ConsentMapping::statusOnTarget()
{
    QFETCH(TargetPlatform, platform);
    QFETCH(QString, mcStatus);
    QFETCH(bool, blacklisted);
    QFETCH(bool, inList);
    QFETCH(bool, listUnsubscribed);
    QFETCH(QString, consent);
    QFETCH(QStringList, suppressions);
    QFETCH(QString, sourceField);
    QFETCH(ContactStatus, expected);

    TargetState t;
    t.platform = platform;
    t.mailchimpStatus = mcStatus;
    t.brevoEmailBlacklisted = blacklisted;
    t.brevoInMarketingList = inList;
    t.brevoUnsubscribedFromList = listUnsubscribed;
    t.klaviyoConsent = consent;
    t.klaviyoSuppressions = suppressions;
    // For Klaviyo the list column is a list suppression of the migration's list.
    t.klaviyoListSuppressed = platform == TargetPlatform::Klaviyo && inList;
    t.sourceStatusField = sourceField;
    QCOMPARE(ContactStatuses::key(ConsentMapping::statusOnTarget(t)),
             ContactStatuses::key(expected));
}

void tst_ConsentMapping::consentViolation()
{
    using S = ContactStatus;
    QVERIFY(ConsentMapping::isConsentViolation(S::Pending, S::Subscribed));
    QVERIFY(ConsentMapping::isConsentViolation(S::Unknown, S::Subscribed));
    QVERIFY(ConsentMapping::isConsentViolation(S::Unsubscribed, S::Transactional));
    QVERIFY(ConsentMapping::isConsentViolation(S::Cleaned, S::Subscribed));
    QVERIFY(!ConsentMapping::isConsentViolation(S::Subscribed, S::Unsubscribed));
    QVERIFY(!ConsentMapping::isConsentViolation(S::Subscribed, S::Transactional));
    QVERIFY(!ConsentMapping::isConsentViolation(S::Complained, S::Unsubscribed));
    QVERIFY(!ConsentMapping::isConsentViolation(S::Pending, S::Transactional));
    for (const ContactStatus s : kAllContactStatuses)
        QVERIFY(!ConsentMapping::isConsentViolation(s, s));
}

void tst_ConsentMapping::descriptions()
{
    for (const TargetPlatform p : kAllTargetPlatforms) {
        for (const ContactStatus s : kAllContactStatuses) {
            const ContactWrite w = ConsentMapping::map(s, fullEvidence(), p);
            QVERIFY2(!ConsentMapping::describe(w).isEmpty(),
                     qPrintable(ContactStatuses::key(s) + u" -> "_s + TargetPlatforms::key(p)));
        }
        const ContactWrite noTime = ConsentMapping::map(ContactStatus::Subscribed, {}, p);
        QVERIFY(!ConsentMapping::describe(noTime).isEmpty());
    }
    // The report tells a downgrade apart from a plain non-subscriber.
    QVERIFY(ConsentMapping::describe(ConsentMapping::map(ContactStatus::Subscribed, {},
                                                         TargetPlatform::Klaviyo))
            != ConsentMapping::describe(ConsentMapping::map(ContactStatus::Transactional, {},
                                                            TargetPlatform::Klaviyo)));
    for (const WriteWave wave : {WriteWave::Suppression, WriteWave::NonMarketable,
                                 WriteWave::Subscriber, WriteWave::Skip})
        QVERIFY(!ConsentMapping::waveName(wave).isEmpty());
}

QTEST_GUILESS_MAIN(tst_ConsentMapping)
#include "tst_consentmapping.moc"

#include "assessment/inventory.h"
#include "contacts/emailaddress.h"
#include "transfer/backupcontactstream.h"
#include "transfer/backupformat.h"
#include "transfer/waveassignment.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <unordered_set>

using namespace Qt::StringLiterals;

namespace {

WaveCandidate contact(const QString &email, ContactStatus status, int rating = -1, QDate changed = {}, bool seed = false)
{
    WaveCandidate c{email, status, rating, changed, seed, {}, std::nullopt, {}};
    // Signed up and confirmed: Klaviyo may then subscribe them (a historical import needs the time).
    c.consent.optinTime = QDateTime(QDate(2024, 3, 1), QTime(9, 0), Qt::UTC);
    return c;
}

QList<WavePlan> plan(const QList<qint64> &sizes)
{
    QList<WavePlan> p;
    for (int n = 0; n < sizes.size(); ++n)
        p.append(WavePlan{n, sizes[n], {}});
    return p;
}

} // namespace

class tst_WaveAssignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void suppressionsFirstThenTheMostEngaged()
    {
        const QDate d(2026, 11, 1);
        const QList<WaveCandidate> c = {
            contact(u"unsub@example.com"_s, ContactStatus::Unsubscribed),          // 0
            contact(u"low@example.com"_s, ContactStatus::Subscribed, 1, d),        // 1
            contact(u"top@example.com"_s, ContactStatus::Subscribed, 5, d),        // 2
            contact(u"clean@example.com"_s, ContactStatus::Cleaned),               // 3
            contact(u"mid-old@example.com"_s, ContactStatus::Subscribed, 3, d.addDays(-90)), // 4
            contact(u"pending@example.com"_s, ContactStatus::Pending),             // 5
            contact(u"seed@example.com"_s, ContactStatus::Subscribed, 1, {}, true), // 6
            contact(u"mid-new@example.com"_s, ContactStatus::Subscribed, 3, d),    // 7
            contact(u"spam@example.com"_s, ContactStatus::Complained),             // 8
            contact(u"unknown@example.com"_s, ContactStatus::Unknown),             // 9
        };
        // Wave 0: 3 suppressions; wave 1: 2; wave 2: the other 3 subscribers + the 2 without consent.
        const WaveAssignmentResult r = WaveAssignment::assign(c, plan({3, 2, 5}), TargetPlatform::Brevo);
        QCOMPARE(r.rejected.size(), 0);
        QCOMPARE(r.waveOf, (QList<int>{0, 2, 1, 0, 2, 2, 1, 2, 0, 2}));
        QCOMPARE(r.waves.size(), 3);
        QCOMPARE(r.waves[0].contacts, 3);
        QCOMPARE(r.waves[0].byStatus.value(ContactStatus::Complained), 1);
        QCOMPARE(r.waves[1].contacts, 2);
        QCOMPARE(r.waves[2].contacts, 5);
        QCOMPARE(r.waves[2].byStatus.value(ContactStatus::Subscribed), 3);
        QCOMPARE(r.waves[2].byStatus.value(ContactStatus::Pending), 1);
        QCOMPARE(r.assigned(), 10);
    }

    void theFirstWaveTakesTheSeedsAndTheMostEngagedInOrder()
    {
        QList<WaveCandidate> c;
        for (int i = 0; i < 20; ++i)
            c.append(contact(u"s%1@example.com"_s.arg(i), ContactStatus::Subscribed, i % 5 + 1,
                             QDate(2026, 1, 1).addDays(i)));
        c[3].seed = true; // rating 4: a seed outranks every 5-star subscriber
        const WaveAssignmentResult r = WaveAssignment::assign(c, plan({0, 5, 15}), TargetPlatform::Klaviyo);
        QList<int> first;
        for (int i = 0; i < c.size(); ++i) {
            if (r.waveOf[i] == 1)
                first.append(i);
        }
        // The seed, then the four 5-star ones (4, 9, 14, 19); the rest fill wave 2.
        QCOMPARE(first, (QList<int>{3, 4, 9, 14, 19}));
        QCOMPARE(r.waves[2].contacts, 15);
        // Among equals the latest change goes first: with room for 3, the seed and 19 and 14.
        const WaveAssignmentResult three = WaveAssignment::assign(c, plan({0, 3, 17}), TargetPlatform::Klaviyo);
        QCOMPARE(three.waveOf[3], 1);
        QCOMPARE(three.waveOf[19], 1);
        QCOMPARE(three.waveOf[14], 1);
        QCOMPARE(three.waveOf[9], 2);
    }

    void subscribersInTheOrderOfTheRules()
    {
        // 3,000 subscribers with every mix of seed, stars (unknown too), change date (unknown
        // too) and addresses equal but for case: the waves hold them in exactly the order the
        // rules give, one wave after another.
        QList<WaveCandidate> c;
        QRandomGenerator random(1124);
        const QDate day(2026, 1, 1);
        for (int n = 0; n < 3000; ++n) {
            const int rating = int(random.bounded(7)) - 1;
            const QDate changed = random.bounded(5) == 0 ? QDate() : day.addDays(random.bounded(4));
            const QString email = u"%1%2@example.com"_s.arg(random.bounded(2) ? u"Person"_s : u"person"_s)
                                      .arg(random.bounded(400));
            c.append(contact(email, ContactStatus::Subscribed, rating, changed, random.bounded(50) == 0));
        }
        const auto before = [&c](qsizetype a, qsizetype b) {
            const WaveCandidate &x = c[a], &y = c[b];
            if (x.seed != y.seed)
                return x.seed;
            if (x.rating != y.rating)
                return x.rating > y.rating;
            if (x.lastChanged != y.lastChanged)
                return x.lastChanged.isValid() && (!y.lastChanged.isValid() || x.lastChanged > y.lastChanged);
            return x.email.compare(y.email, Qt::CaseInsensitive) < 0;
        };
        QList<qsizetype> expected;
        QSet<QString> seen;
        for (qsizetype i = 0; i < c.size(); ++i) {
            if (!seen.contains(c[i].email.toLower())) { // a second copy is not written
                seen.insert(c[i].email.toLower());
                expected.append(i);
            }
        }
        std::stable_sort(expected.begin(), expected.end(), before);
        const WaveAssignmentResult r = WaveAssignment::assign(
            c, {WavePlan{1, 100, {}}, WavePlan{2, 300, {}}, WavePlan{3, 0, {}}}, TargetPlatform::Brevo);
        QCOMPARE(r.waves.at(1).contacts, qint64(100));
        QCOMPARE(r.waves.at(2).contacts, qint64(300));
        // Wave by wave in the expected order: the first 100 in wave 1, the next 300 in wave 2.
        for (qsizetype k = 0; k < expected.size(); ++k) {
            const int wave = k < 100 ? 1 : k < 400 ? 2 : 3;
            QVERIFY2(r.waveOf.at(expected[k]) == wave,
                     qPrintable(u"place %1 (%2) is in wave %3"_s.arg(k).arg(c[expected[k]].email)
                                    .arg(r.waveOf.at(expected[k]))));
        }
    }

    // Equal ranks are ordered by address ignoring case, as QString::compare does it, with
    // letters outside ASCII too (the Kelvin sign folds to k, the long s to s): a plan of waves of
    // one contact each puts every subscriber in the wave of its place.
    void equalRanksInTheOrderOfTheirAddresses()
    {
        const QStringList stems{u"kate"_s, u"Kate"_s, u"\u212Aate"_s, u"kat"_s, u"kat\u00e9"_s,
                                u"KAT\u00c9"_s, u"kat\u00df"_s, u"\u017Fam"_s, u"sam"_s, u"Sam"_s,
                                u"s\u00e1m"_s, u"zoe"_s, u"Zo\u00eb"_s, u"\U0001F600"_s, u"a"_s,
                                u"A_b"_s, u"a[b"_s, u"a`b"_s, u"a{b"_s, u"@"_s, u"~"_s,
                                u"\u00ff"_s, u"\u0178"_s, u"person"_s, u"Person"_s, u"personal"_s,
                                // alike in their first 16 letters or more, or differing only after
                                u"user0001234.abcd"_s, u"User0001234.ABCe"_s, u"user0001234.abc"_s,
                                u"user0001234.ab\u00e9"_s, u"user0001234.abcdefgh"_s,
                                u"user0001234.abcdefgH"_s, u"user000123"_s, u"user0001234"_s};
        QList<WaveCandidate> c;
        QRandomGenerator random(2411);
        for (int n = 0; n < 600; ++n) {
            // A domain may be a prefix of another (example.co, example.com): the shorter first.
            const QStringList domains{u"@example.com"_s, u"@Example.COM"_s, u"@example.co"_s, u"@EXAMPLE.co"_s};
            const QString email = stems.at(random.bounded(stems.size())) + QString::number(random.bounded(3))
                                  + domains.at(random.bounded(domains.size()));
            c.append(contact(email, ContactStatus::Subscribed, 3, QDate(2026, 1, 1)));
        }
        QList<qsizetype> expected;
        std::unordered_set<std::string> seen;
        for (qsizetype i = 0; i < c.size(); ++i) {
            const QByteArray utf8 = c[i].email.toUtf8();
            if (EmailAddress::isValid(EmailAddress::trimmed(utf8))
                && seen.insert(EmailAddress::normalized(utf8)).second)
                expected.append(i);
        }
        QVERIFY(expected.size() > 40);
        std::stable_sort(expected.begin(), expected.end(), [&c](qsizetype a, qsizetype b) {
            return c[a].email.compare(c[b].email, Qt::CaseInsensitive) < 0;
        });
        QList<WavePlan> waves;
        for (int w = 1; w <= expected.size(); ++w)
            waves.append(WavePlan{w, 1, {}});
        const WaveAssignmentResult r = WaveAssignment::assign(c, waves, TargetPlatform::Brevo);
        for (qsizetype k = 0; k < expected.size(); ++k) {
            QVERIFY2(r.waveOf.at(expected[k]) == k + 1,
                     qPrintable(u"place %1 (%2) is in wave %3"_s.arg(k).arg(c[expected[k]].email)
                                    .arg(r.waveOf.at(expected[k]))));
        }
    }

    void whatIsNotWrittenIsListedWithItsReason()
    {
        const QList<WaveCandidate> c = {
            contact(u"a@example.com"_s, ContactStatus::Subscribed, 5),
            contact(u"  A@Example.com "_s, ContactStatus::Unsubscribed), // the same address again
            contact(u"not-an-address"_s, ContactStatus::Subscribed),
            contact(u"old@example.com"_s, ContactStatus::Archived),
        };
        const WaveAssignmentResult mailchimp = WaveAssignment::assign(c, plan({0, 4}), TargetPlatform::Mailchimp);
        QCOMPARE(mailchimp.waveOf, (QList<int>{1, -1, -1, -1}));
        QCOMPARE(mailchimp.rejected.size(), 3);
        QCOMPARE(mailchimp.rejected[0].code, u"duplicate"_s);
        QCOMPARE(mailchimp.rejected[0].index, 1);
        QCOMPARE(mailchimp.rejected[1].code, u"invalid_email"_s);
        QCOMPARE(mailchimp.rejected[2].code, u"not_written"_s); // Mailchimp cannot create an archived member
        QVERIFY(!mailchimp.rejected[2].reason.isEmpty());
        // Every candidate is either in a wave or rejected.
        QCOMPARE(mailchimp.assigned() + mailchimp.rejected.size(), c.size());

        // Brevo keeps archived contacts, without a subscription.
        const WaveAssignmentResult brevo = WaveAssignment::assign(c, plan({0, 4}), TargetPlatform::Brevo);
        QCOMPARE(brevo.waveOf[3], 1);
        QCOMPARE(brevo.waves[1].byStatus.value(ContactStatus::Archived), 1);
    }

    void klaviyoSubscribersWithoutAConsentTimeAreNotSubscribers()
    {
        QList<WaveCandidate> c = {contact(u"a@example.com"_s, ContactStatus::Subscribed, 5),
                                  contact(u"b@example.com"_s, ContactStatus::Subscribed, 1)};
        c[0].consent = ConsentEvidence(); // no time: Klaviyo would need one to subscribe
        const WaveAssignmentResult r = WaveAssignment::assign(c, plan({0, 1, 1}), TargetPlatform::Klaviyo);
        // The engaged one has no consent time: written without a subscription, with the last wave.
        QCOMPARE(r.waveOf, (QList<int>{2, 1}));
        const WaveAssignmentResult brevo = WaveAssignment::assign(c, plan({0, 1, 1}), TargetPlatform::Brevo);
        QCOMPARE(brevo.waveOf, (QList<int>{1, 2}));
    }

    void moreSubscribersThanPlannedGoToTheLastWave()
    {
        QList<WaveCandidate> c;
        for (int i = 0; i < 12; ++i)
            c.append(contact(u"s%1@example.com"_s.arg(i), ContactStatus::Subscribed, 3));
        // Planned when there were 8: 3 + 5. The 4 new ones join the last wave.
        const WaveAssignmentResult r = WaveAssignment::assign(c, plan({0, 3, 5}), TargetPlatform::Brevo);
        QCOMPARE(r.waves[1].contacts, 3);
        QCOMPARE(r.waves[2].contacts, 9);
        // Fewer than planned: the first waves fill first, none is left empty before a full one.
        c.resize(2);
        const WaveAssignmentResult fewer = WaveAssignment::assign(c, plan({0, 3, 5}), TargetPlatform::Brevo);
        QCOMPARE(fewer.waves[1].contacts, 2);
        QCOMPARE(fewer.waves[2].contacts, 0);
    }

    void fromTheBackupAsFromItsContacts_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<bool>("large"); // read in two halves (kSplitBytes)
        QTest::newRow("mailchimp") << int(TargetPlatform::Mailchimp) << false;
        QTest::newRow("brevo") << int(TargetPlatform::Brevo) << false;
        QTest::newRow("klaviyo") << int(TargetPlatform::Klaviyo) << false;
        QTest::newRow("klaviyo, in two halves") << int(TargetPlatform::Klaviyo) << true;
        QTest::newRow("mailchimp, in two halves") << int(TargetPlatform::Mailchimp) << true;
    }

    void fromTheBackupAsFromItsContacts()
    {
        // assignBackup decides each contact's wave as it reads the backup and keeps no evidence:
        // the same waves, counts and reasons as assign() over the contacts with their evidence.
        QFETCH(int, target);
        QFETCH(bool, large);
        const auto platform = TargetPlatform(target);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QList<SourceContact> source;
        const QDate d(2026, 10, 1);
        int n = 0;
        for (ContactStatus status : kAllContactStatuses) {
            for (int i = 0; i < 4; ++i, ++n) {
                SourceContact c;
                c.email = u"c%1@example.com"_s.arg(n);
                c.status = status;
                c.rating = n % 6;
                c.lastChanged = QDateTime(d.addDays(n % 5), QTime(8, 0), Qt::UTC);
                if (i % 2 == 0) // half with a sign-up time (Klaviyo subscribes only those)
                    c.consent.optinTime = QDateTime(QDate(2024, 3, 1), QTime(9, 0), Qt::UTC);
                if (i == 3)
                    c.consent.suppressionReason = u"bounced"_s;
                source.append(c);
            }
        }
        if (large) {
            // Subscribers with long notes, so that the copy and the invalid address below are
            // read by the second half and the contacts above by the first.
            const QString notes(2000, u'n');
            for (int i = 0; i < 4; ++i) {
                for (qint64 bytes = 0; bytes < WaveAssignment::kSplitBytes / 4; bytes += 2100, ++n) {
                    SourceContact c;
                    c.email = u"filler%1@example.com"_s.arg(n);
                    c.status = ContactStatus::Subscribed;
                    c.rating = n % 6;
                    c.lastChanged = QDateTime(d.addDays(n % 7), QTime(8, 0), Qt::UTC);
                    c.fields.insert(u"NOTES"_s, notes);
                    source.append(c);
                }
            }
        }
        source.append(source.at(2)); // a second copy
        source.last().email = source.last().email.toUpper();
        SourceContact invalid = source.at(0);
        invalid.email = u"not an address"_s;
        source.append(invalid);
        QFile f(QDir(dir.path()).filePath(BackupFormat::kContacts));
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (const SourceContact &c : std::as_const(source))
            f.write(QJsonDocument(BackupFormat::contactJson(c)).toJson(QJsonDocument::Compact) + '\n');
        f.close();
        QCOMPARE(f.size() >= WaveAssignment::kSplitBytes, large);

        QList<WaveCandidate> candidates;
        const QStringList seeds{u"C0@example.com"_s};
        for (const SourceContact &c : std::as_const(source)) {
            candidates.append(WaveCandidate{c.email, c.status, c.rating, c.lastChanged.date(),
                                            c.email.compare(seeds.first(), Qt::CaseInsensitive) == 0,
                                            c.consent, std::nullopt, {}});
        }
        const QList<WavePlan> waves = plan({0, 1, 0}); // room for one in wave 1: the seed
        const WaveAssignmentResult expected = WaveAssignment::assign(candidates, waves, platform);
        const auto made = WaveAssignment::assignBackup(dir.path(), waves, seeds, platform);
        QVERIFY2(made.ok(), qPrintable(made.ok() ? QString() : made.error().toString()));
        QVERIFY(made->has_value());
        const WaveAssignmentResult &got = **made;
        QCOMPARE(got.waveOf, expected.waveOf);
        QCOMPARE(got.waves.size(), expected.waves.size());
        for (qsizetype w = 0; w < got.waves.size(); ++w) {
            QCOMPARE(got.waves[w].contacts, expected.waves[w].contacts);
            QCOMPARE(got.waves[w].byStatus, expected.waves[w].byStatus);
        }
        QCOMPARE(got.rejected.size(), expected.rejected.size());
        QVERIFY(expected.rejected.size() >= 2); // the copy and the invalid address at least
        for (qsizetype i = 0; i < got.rejected.size(); ++i) {
            QCOMPARE(got.rejected[i].index, expected.rejected[i].index);
            QCOMPARE(got.rejected[i].code, expected.rejected[i].code);
            QCOMPARE(got.rejected[i].reason, expected.rejected[i].reason);
        }
        if (platform == TargetPlatform::Mailchimp) // archived members are not written there
            QVERIFY(std::any_of(got.rejected.cbegin(), got.rejected.cend(),
                                [](const WaveRejection &r) { return r.code == u"not_written"_s; }));
        QCOMPARE(got.waveOf.at(0), 1); // the seed (a subscriber) is in the first wave

        // Cancelled: nothing (asked every 16,384 contacts; a backup this small is never asked).
        const auto cancelled = WaveAssignment::assignBackup(dir.path(), waves, seeds, platform, [] { return true; });
        QVERIFY(cancelled.ok());
    }

    void partsOfTheBackupReadAsTheWhole()
    {
        // Split at every byte: the two parts' contacts are the whole file's, in order, each
        // line read once, with the line numbers of the file; an error in the second part names
        // its line in the file.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray text;
        QStringList emails;
        for (int i = 0; i < 6; ++i) {
            SourceContact c;
            c.email = u"p%1@example.com"_s.arg(i);
            c.status = ContactStatus::Subscribed;
            emails.append(c.email);
            text += QJsonDocument(BackupFormat::contactJson(c)).toJson(QJsonDocument::Compact) + '\n';
            if (i == 2)
                text += "\n"; // an empty line (line 4) is passed over
        }
        text += "{not json\n"; // line 8
        QFile f(QDir(dir.path()).filePath(BackupFormat::kContacts));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        const QList<qint64> lines = {1, 2, 3, 5, 6, 7};
        for (qint64 split = 0; split <= text.size(); ++split) {
            QStringList read;
            QList<qint64> at;
            QString error;
            for (const auto &[from, to] : {std::pair<qint64, qint64>{0, split}, {split, -1}}) {
                BackupContactStream stream(dir.path());
                QVERIFY(stream.openRange(from, to).ok());
                for (;;) {
                    auto next = stream.next();
                    if (!next) {
                        error = next.error().toString();
                        break;
                    }
                    if (!next->has_value())
                        break;
                    read.append((*next)->email);
                    at.append(stream.line());
                }
            }
            QCOMPARE(read, emails);
            QCOMPARE(at, lines);
            QVERIFY2(error.contains(u"line 8"_s), qPrintable(error));
        }
    }

    void thePlanFromTheTimelineFits()
    {
        // 6,000 contacts of every status through TimelineGenerator::planWaves' sizes.
        Inventory inv;
        QList<WaveCandidate> c;
        for (int i = 0; i < 6000; ++i) {
            const ContactStatus s = i % 4 == 0 ? ContactStatus::Unsubscribed : i % 10 == 1 ? ContactStatus::Pending : ContactStatus::Subscribed;
            c.append(contact(u"p%1@example.com"_s.arg(i), s, i % 5 + 1));
            ++inv.byStatus[size_t(s)];
            ++inv.total;
        }
        const QList<WavePlan> waves = TimelineGenerator::planWaves(&inv);
        const WaveAssignmentResult r = WaveAssignment::assign(c, waves, TargetPlatform::Klaviyo);
        QCOMPARE(r.waves.size(), waves.size());
        for (const WavePlan &w : waves)
            QCOMPARE(r.waves[w.number].contacts, w.contacts);
        QCOMPARE(r.rejected.size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_WaveAssignment)
#include "tst_waveassignment.moc"

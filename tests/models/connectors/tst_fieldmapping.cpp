#include "connectors/brevo/brevoconnector.h"
#include "connectors/consentmapping.h"
#include "connectors/fieldmapping.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Kind = FieldMappingRow::Kind;

namespace {

// The fields of the demo's Mailchimp export, as the assessment lists them.
QList<InventoryField> mailchimpFields()
{
    auto f = [](const char *name, FieldType type, bool custom) {
        return InventoryField{QString::fromLatin1(name), type, 10, custom};
    };
    return {f("First Name", FieldType::Text, true), f("Last Name", FieldType::Text, true),
            f("Address", FieldType::Address, true), f("Phone Number", FieldType::Phone, true),
            f("Birthday", FieldType::Birthday, true), f("Company", FieldType::Text, true),
            f("Website", FieldType::Url, true), f("MEMBER_RATING", FieldType::Number, false),
            f("OPTIN_TIME", FieldType::Date, false), f("CONFIRM_IP", FieldType::Text, false),
            f("LATITUDE", FieldType::Number, false), f("CC", FieldType::Text, false),
            f("LAST_CHANGED", FieldType::Date, false), f("TAGS", FieldType::Tags, false),
            f("UNSUB_REASON", FieldType::Text, false)};
}

const FieldMappingRow *row(const QList<FieldMappingRow> &rows, const QString &source)
{
    for (const FieldMappingRow &r : rows) {
        if (r.source == source)
            return &r;
    }
    return nullptr;
}

} // namespace

class tst_FieldMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void suggestion_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("targets");

        const auto add = [](const char *target, const char *source, Kind kind, const QStringList &targets) {
            QTest::addRow("%s %s", target, source) << QString::fromLatin1(target) << QString::fromLatin1(source) << int(kind) << targets;
        };
        add("brevo", "First Name", Kind::Native, {u"FIRSTNAME"_s});
        add("brevo", "Last Name", Kind::Native, {u"LASTNAME"_s});
        add("brevo", "Phone Number", Kind::Native, {u"SMS"_s});
        add("brevo", "Address", Kind::Custom,
            {u"ADDRESS_LINE_1"_s, u"ADDRESS_LINE_2"_s, u"ADDRESS_CITY"_s, u"ADDRESS_STATE"_s, u"ADDRESS_ZIP"_s, u"ADDRESS_COUNTRY"_s});
        add("brevo", "Birthday", Kind::Custom, {u"BIRTHDAY"_s});
        add("brevo", "Company", Kind::Custom, {u"COMPANY"_s});
        add("brevo", "Website", Kind::Custom, {u"WEBSITE"_s});
        add("brevo", "MEMBER_RATING", Kind::Unmapped, {});
        add("brevo", "OPTIN_TIME", Kind::Consent, {u"OPTIN_TIME"_s});
        add("brevo", "CONFIRM_IP", Kind::Consent, {u"CONFIRM_IP"_s});
        add("brevo", "UNSUB_REASON", Kind::Consent, {u"SUPPRESSION_REASON"_s});
        add("brevo", "LATITUDE", Kind::Unmapped, {});
        add("brevo", "CC", Kind::Custom, {u"CC"_s});
        add("brevo", "LAST_CHANGED", Kind::Unmapped, {});
        add("brevo", "TAGS", Kind::Tags, {u"lists"_s});

        add("klaviyo", "First Name", Kind::Native, {u"first_name"_s});
        add("klaviyo", "Phone Number", Kind::Native, {u"phone_number"_s});
        add("klaviyo", "Address", Kind::Native,
            {u"location.address1"_s, u"location.address2"_s, u"location.city"_s, u"location.region"_s, u"location.zip"_s,
             u"location.country"_s});
        add("klaviyo", "Birthday", Kind::Custom, {u"properties.Birthday"_s});
        add("klaviyo", "Company", Kind::Native, {u"organization"_s});
        add("klaviyo", "Website", Kind::Custom, {u"properties.Website"_s});
        add("klaviyo", "LATITUDE", Kind::Native, {u"location.latitude"_s});
        add("klaviyo", "CC", Kind::Native, {u"location.country"_s});
        add("klaviyo", "OPTIN_TIME", Kind::Consent, {u"OPTIN_TIME"_s});
        add("klaviyo", "TAGS", Kind::Tags, {u"properties.tags"_s});

        add("mailchimp", "First Name", Kind::Native, {u"FNAME"_s});
        add("mailchimp", "Phone Number", Kind::Native, {u"PHONE"_s});
        add("mailchimp", "Address", Kind::Custom, {u"ADDRESS"_s});
        add("mailchimp", "OPTIN_TIME", Kind::Consent, {u"timestamp_signup"_s});
        add("mailchimp", "CONFIRM_IP", Kind::Consent, {u"ip_opt"_s});
        add("mailchimp", "UNSUB_REASON", Kind::Consent, {u"SUPPREASON"_s});
        add("mailchimp", "TAGS", Kind::Tags, {u"tags"_s});
        add("mailchimp", "MEMBER_RATING", Kind::Unmapped, {});
    }

    void suggestion()
    {
        QFETCH(QString, target);
        QFETCH(QString, source);
        QFETCH(int, kind);
        QFETCH(QStringList, targets);
        const QList<FieldMappingRow> rows = FieldMapping::suggest(mailchimpFields(), *TargetPlatforms::fromKey(target));
        QCOMPARE(rows.size(), mailchimpFields().size()); // every field is in the report, mapped or not
        const FieldMappingRow *r = row(rows, source);
        QVERIFY(r);
        QCOMPARE(int(r->kind), kind);
        QCOMPARE(r->targets, targets);
        if (r->kind == Kind::Unmapped)
            QVERIFY2(!r->note.isEmpty(), "an unmapped field says why");
    }

    void brevoTagsNote()
    {
        // Brevo tags become lists, and never a mailable one for a contact without consent.
        const QList<FieldMappingRow> rows = FieldMapping::suggest(mailchimpFields(), TargetPlatform::Brevo);
        const FieldMappingRow *r = row(rows, u"TAGS"_s);
        QVERIFY(r);
        QCOMPARE(r->note,
                 QStringLiteral("Brevo contacts have no tags: each tag becomes a list \"Tag: <tag>\" in the "
                                "migration's folder; contacts without marketing consent go to \"Tag: <tag> "
                                "\u2014 do not mail\" instead. Tags of suppressed contacts are kept in the "
                                "backup only."));
        QVERIFY(r->note.contains(BrevoConnector::holdingListName(u"Tag: <tag>"_s)));
    }

    void consentTargetsAreTheFieldsTheConsentMappingWrites()
    {
        for (TargetPlatform target : kAllTargetPlatforms) {
            QStringList evidence;
            for (const EvidenceField &e : ConsentMapping::evidenceFields(target))
                evidence.append(e.name);
            if (target == TargetPlatform::Mailchimp) // native member fields there
                evidence << u"timestamp_signup"_s << u"ip_signup"_s << u"timestamp_opt"_s << u"ip_opt"_s;
            for (const FieldMappingRow &r : FieldMapping::suggest(mailchimpFields(), target)) {
                if (r.kind == Kind::Consent)
                    QVERIFY2(evidence.contains(r.targets.first()), qPrintable(r.targets.first()));
            }
        }
    }

    void customNames_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("brevo");
        QTest::addColumn<QString>("mailchimp");
        QTest::newRow("label") << u"Favourite colour"_s << u"FAVOURITE_COLOUR"_s << u"FAVOURITE_"_s;
        QTest::newRow("punctuation") << u"  Size (EU) "_s << u"SIZE_EU"_s << u"SIZE_EU"_s;
        QTest::newRow("starts with a digit") << u"2nd email"_s << u"F_2ND_EMAIL"_s << u"F_2ND_EMAI"_s;
        QTest::newRow("accents dropped") << u"Préférence"_s << u"PREFERENCE"_s << u"PREFERENCE"_s;
        QTest::newRow("no letters left") << u"日本"_s << u"F_"_s << u"F_"_s;
    }

    void customNames()
    {
        QFETCH(QString, source);
        QFETCH(QString, brevo);
        QFETCH(QString, mailchimp);
        QCOMPARE(FieldMapping::customName(source, TargetPlatform::Brevo), brevo);
        QCOMPARE(FieldMapping::customName(source, TargetPlatform::Mailchimp), mailchimp);
        QCOMPARE(FieldMapping::customName(source, TargetPlatform::Klaviyo), u"properties."_s + source.trimmed());
    }

    void theStatusColumnIsNotAField()
    {
        // An assessment through the API (or a CSV with a status column) lists the status as a
        // platform column: it decides the consent write, it is not copied into an attribute.
        const QList<InventoryField> fields = {InventoryField{u"STATUS"_s, FieldType::Text, 10, false},
                                              InventoryField{u"Status"_s, FieldType::Text, 10, true}};
        for (const TargetPlatform target : kAllTargetPlatforms) {
            const QList<FieldMappingRow> rows = FieldMapping::suggest(fields, target);
            QCOMPARE(rows.at(0).kind, Kind::Unmapped);
            QVERIFY2(rows.at(0).note.contains(u"subscription status"_s), qPrintable(rows.at(0).note));
            // A field the user made and happened to call Status is theirs: it is transferred.
            QCOMPARE(rows.at(1).kind, Kind::Custom);
        }
    }

    void existingAttributesAreRecognised()
    {
        const QList<FieldMappingRow> rows = FieldMapping::suggest(mailchimpFields(), TargetPlatform::Brevo, {u"firstname"_s, u"Company"_s});
        QVERIFY(row(rows, u"First Name"_s)->existsOnTarget);
        QVERIFY(row(rows, u"Company"_s)->existsOnTarget);
        QVERIFY(!row(rows, u"Website"_s)->existsOnTarget);
    }

    void customNamesDoNotCollide()
    {
        const QList<InventoryField> fields = {{u"Size (EU)"_s, FieldType::Text, 1, true}, {u"Size EU"_s, FieldType::Text, 1, true},
                                              {u"size_eu"_s, FieldType::Text, 1, true}};
        const QList<FieldMappingRow> rows = FieldMapping::suggest(fields, TargetPlatform::Brevo);
        QCOMPARE(rows[0].targets, QStringList{u"SIZE_EU"_s});
        QCOMPARE(rows[1].targets, QStringList{u"SIZE_EU_2"_s});
        QCOMPARE(rows[2].targets, QStringList{u"SIZE_EU_3"_s});
    }

    void unmappedReportListsWhatIsNotWritten()
    {
        const QList<FieldMappingRow> rows = FieldMapping::suggest(mailchimpFields(), TargetPlatform::Brevo);
        QStringList names;
        for (const FieldMappingRow &r : FieldMapping::unmapped(rows))
            names.append(r.source);
        QCOMPARE(names, (QStringList{u"MEMBER_RATING"_s, u"LATITUDE"_s, u"LAST_CHANGED"_s}));
    }
};

QTEST_GUILESS_MAIN(tst_FieldMapping)
#include "tst_fieldmapping.moc"

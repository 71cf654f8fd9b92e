#include "connectors/fieldmapping.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace {

using Kind = FieldMappingRow::Kind;

/// Compared without case, spaces, "_" or "-": "First Name", "FNAME"... are looked up by this.
QString normalised(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            out += c.toLower();
    }
    return out;
}

/** A field most platforms know, with its names on the three platforms (esp-apis §1.5, §2.3, §3.3). */
struct KnownField
{
    QStringList aliases; ///< normalised source names
    QString mailchimp;   ///< merge tag (empty: a custom merge field is created)
    QString brevo;       ///< default attribute (empty: custom)
    QString klaviyo;     ///< profile attribute (empty: a custom property)
};

const QList<KnownField> &knownFields()
{
    static const QList<KnownField> fields = {
        {{u"firstname"_s, u"fname"_s}, u"FNAME"_s, u"FIRSTNAME"_s, u"first_name"_s},
        {{u"lastname"_s, u"lname"_s, u"surname"_s}, u"LNAME"_s, u"LASTNAME"_s, u"last_name"_s},
        {{u"phonenumber"_s, u"phone"_s, u"sms"_s, u"mobile"_s}, u"PHONE"_s, u"SMS"_s, u"phone_number"_s},
        {{u"company"_s, u"organization"_s, u"organisation"_s}, QString(), QString(), u"organization"_s},
        {{u"title"_s, u"jobtitle"_s}, QString(), QString(), u"title"_s},
        {{u"language"_s, u"locale"_s}, QString(), QString(), u"locale"_s},
        {{u"cc"_s, u"country"_s}, QString(), QString(), u"location.country"_s},
        {{u"region"_s, u"state"_s}, QString(), QString(), u"location.region"_s},
        {{u"city"_s}, QString(), QString(), u"location.city"_s},
        {{u"zip"_s, u"postcode"_s, u"zipcode"_s}, QString(), QString(), u"location.zip"_s},
        {{u"latitude"_s}, QString(), QString(), u"location.latitude"_s},
        {{u"longitude"_s}, QString(), QString(), u"location.longitude"_s},
        {{u"timezone"_s}, QString(), QString(), u"location.timezone"_s},
    };
    return fields;
}

const KnownField *known(const QString &name)
{
    const QString n = normalised(name);
    for (const KnownField &f : knownFields()) {
        if (f.aliases.contains(n))
            return &f;
    }
    return nullptr;
}

QString nativeName(const KnownField &f, TargetPlatform target)
{
    switch (target) {
    case TargetPlatform::Mailchimp: return f.mailchimp;
    case TargetPlatform::Brevo: return f.brevo;
    case TargetPlatform::Klaviyo: return f.klaviyo;
    }
    return {};
}

/// Consent evidence columns of the three exports, and the evidence field they carry (esp-apis §1.9, §4.1).
QString consentField(const QString &name, TargetPlatform target)
{
    const QString n = normalised(name);
    const bool mc = target == TargetPlatform::Mailchimp;
    if (n == u"optintime")
        return mc ? u"timestamp_signup"_s : u"OPTIN_TIME"_s;
    if (n == u"optinip")
        return mc ? u"ip_signup"_s : u"OPTIN_IP"_s;
    if (n == u"confirmtime")
        return mc ? u"timestamp_opt"_s : u"CONFIRM_TIME"_s;
    if (n == u"confirmip")
        return mc ? u"ip_opt"_s : u"CONFIRM_IP"_s;
    if (n == u"unsubtime" || n == u"cleantime")
        return mc ? u"SUPPTIME"_s : u"SUPPRESSION_TIME"_s;
    if (n == u"unsubreason")
        return mc ? u"SUPPREASON"_s : u"SUPPRESSION_REASON"_s;
    return {};
}

/// Platform metadata: read for the assessment and kept in the backup, not written as a field.
bool isMetadata(const QString &name)
{
    static const QStringList names = {
        u"memberrating"_s, u"lastchanged"_s, u"leid"_s, u"euid"_s, u"gmtoff"_s, u"dstoff"_s, u"notes"_s,
        u"unsubcampaigntitle"_s, u"unsubcampaignid"_s, u"unsubreasonother"_s, u"cleancampaigntitle"_s,
        u"cleancampaignid"_s, u"addedtime"_s, u"modifiedtime"_s, u"emailblacklisted"_s, u"klaviyoid"_s,
        u"profilecreatedon"_s, u"emailmarketingconsent"_s, u"emailmarketingconsenttimestamp"_s, u"emailsuppressions"_s};
    return names.contains(normalised(name));
}

} // namespace

QString FieldMappingRow::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Native: return QCoreApplication::translate("FieldMapping", "Built-in field");
    case Kind::Custom: return QCoreApplication::translate("FieldMapping", "Custom field");
    case Kind::Consent: return QCoreApplication::translate("FieldMapping", "Consent evidence");
    case Kind::Tags: return QCoreApplication::translate("FieldMapping", "Tags");
    case Kind::Unmapped: return QCoreApplication::translate("FieldMapping", "Not written");
    }
    return {};
}

void FieldMapping::placeTags(FieldMappingRow &row, TargetPlatform target)
{
    row.kind = FieldMappingRow::Kind::Tags;
    row.targetType = FieldType::Tags;
    switch (target) {
    case TargetPlatform::Mailchimp:
        row.targets = {u"tags"_s};
        row.note.clear();
        break;
    case TargetPlatform::Klaviyo:
        // Klaviyo's tags belong to lists, flows and campaigns, not to profiles.
        row.targets = {u"properties.tags"_s};
        row.note = tr("Klaviyo profiles have no tags: they go into the list-valued property \"tags\", "
                      "which segments can use.");
        break;
    case TargetPlatform::Brevo:
        // What BrevoConnector::upsertContacts does (brevotags.cpp).
        row.targets = {u"lists"_s};
        row.note = tr("Brevo contacts have no tags: each tag becomes a list \"Tag: <tag>\" in the "
                      "migration's folder; contacts without marketing consent go to \"Tag: <tag> "
                      "\u2014 do not mail\" instead. Tags of suppressed contacts are kept in the "
                      "backup only.");
        break;
    }
}

QString FieldMapping::customName(const QString &source, TargetPlatform target)
{
    if (target == TargetPlatform::Klaviyo)
        return u"properties."_s + source.trimmed();
    QString name;
    // Accents are dropped rather than the letters ("Préférence" -> PREFERENCE).
    for (const QChar c : source.trimmed().normalized(QString::NormalizationForm_D).toUpper()) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        if ((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9'))
            name += c;
        else if (!name.isEmpty() && !name.endsWith(u'_'))
            name += u'_';
    }
    while (name.endsWith(u'_'))
        name.chop(1);
    if (name.isEmpty() || name.front().isDigit())
        name.prepend(u"F_"_s);
    // Mailchimp merge tags are at most 10 characters (esp-apis §1.5).
    if (target == TargetPlatform::Mailchimp)
        name = name.left(10);
    return name;
}

QList<FieldMappingRow> FieldMapping::suggest(const QList<InventoryField> &fields, TargetPlatform target,
                                             const QStringList &existingAttributes)
{
    const auto exists = [&existingAttributes](const QString &name) {
        for (const QString &a : existingAttributes) {
            if (a.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    const QString platform = TargetPlatforms::displayName(target);
    QList<FieldMappingRow> rows;
    QSet<QString> used;
    for (const InventoryField &f : fields) {
        FieldMappingRow r;
        r.source = f.name;
        r.sourceType = f.type;
        r.targetType = f.type;

        if (const QString consent = consentField(f.name, target); !consent.isEmpty()) {
            r.kind = Kind::Consent;
            r.targets = {consent};
            r.note = tr("Evidence of consent, carried so that it can be shown later.");
        } else if (f.type == FieldType::Tags) {
            placeTags(r, target);
        } else if (!f.custom && normalised(f.name) == u"status") {
            // The status column says which wave a contact goes in and how (ConsentMapping).
            r.kind = Kind::Unmapped;
            r.note = tr("The subscription status: written as %1's own status and consent, not as a field.")
                         .arg(platform);
        } else if (isMetadata(f.name)) {
            r.kind = Kind::Unmapped;
            r.note = tr("Platform metadata: kept in the backup, not written to %1.").arg(platform);
        } else if (f.type == FieldType::Address) {
            if (target == TargetPlatform::Klaviyo) {
                r.kind = Kind::Native;
                r.targets = {u"location.address1"_s, u"location.address2"_s, u"location.city"_s, u"location.region"_s,
                             u"location.zip"_s, u"location.country"_s};
            } else if (target == TargetPlatform::Mailchimp) {
                r.kind = Kind::Custom;
                r.targets = {customName(f.name, target)};
            } else {
                // Brevo has no address type: the parts become text attributes (esp-apis §2.5).
                r.kind = Kind::Custom;
                const QString base = customName(f.name, target);
                for (const char *part : {"LINE_1", "LINE_2", "CITY", "STATE", "ZIP", "COUNTRY"})
                    r.targets.append(base + u'_' + QString::fromLatin1(part));
                r.targetType = FieldType::Text;
                r.note = tr("Brevo has no address type: the address is split into six text attributes.");
            }
        } else if (const KnownField *k = known(f.name); k && !nativeName(*k, target).isEmpty()) {
            r.kind = Kind::Native;
            r.targets = {nativeName(*k, target)};
            if (target == TargetPlatform::Brevo && r.targets.first() != u"SMS")
                r.note = tr("Brevo names FIRSTNAME and LASTNAME after the account's language: checked against the account's attributes.");
            if (r.targets.first() == u"SMS" || r.targets.first() == u"phone_number")
                r.note = tr("Written in E.164 form (+4930123456); numbers that cannot be read so are reported.");
            if (f.type == FieldType::Phone || r.targets.first() == u"SMS" || r.targets.first() == u"phone_number")
                r.targetType = FieldType::Phone;
        } else if (known(f.name) && target != TargetPlatform::Klaviyo && (normalised(f.name) == u"latitude"
                                                                         || normalised(f.name) == u"longitude"
                                                                         || normalised(f.name) == u"timezone")) {
            r.kind = Kind::Unmapped;
            r.note = tr("%1 derives a contact's location itself: not written.").arg(platform);
        } else {
            r.kind = Kind::Custom;
            r.targets = {customName(f.name, target)};
            if (f.type == FieldType::Birthday && target == TargetPlatform::Brevo)
                r.note = tr("Brevo keeps birthdays as dates: the year is a placeholder (see the birthday policy).");
            else if (target == TargetPlatform::Klaviyo && (f.type == FieldType::Date || f.type == FieldType::Birthday))
                r.note = tr("Klaviyo keeps the date as ISO 8601 text.");
            else if (f.type == FieldType::Url || f.type == FieldType::Phone)
                r.targetType = target == TargetPlatform::Mailchimp ? f.type : FieldType::Text;
        }
        // Two source fields must not land on one custom attribute ("Size (EU)" and "Size EU").
        if (r.kind == Kind::Custom && r.targets.size() == 1) {
            const QString base = r.targets.first();
            for (int n = 2; used.contains(r.targets.first().toUpper()); ++n)
                r.targets.first() = base + u'_' + QString::number(n);
        }
        for (const QString &t : std::as_const(r.targets)) {
            used.insert(t.toUpper());
            r.existsOnTarget = r.existsOnTarget || exists(t);
        }
        rows.append(r);
    }
    return rows;
}

QList<FieldMappingRow> FieldMapping::unmapped(const QList<FieldMappingRow> &rows)
{
    QList<FieldMappingRow> out;
    for (const FieldMappingRow &r : rows) {
        if (r.kind == Kind::Unmapped)
            out.append(r);
    }
    return out;
}

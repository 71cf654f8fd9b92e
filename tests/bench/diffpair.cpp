#include "diffpair.h"

#include "benchcontacts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <zip.h>

#include <cstdio>
#include <numeric>

namespace {

using BenchContacts::Contact;

// Shares of the generated differences (per thousand unless said otherwise). The statuses follow
// bench_assess: 85 % subscribed, 10 % unsubscribed, 5 % cleaned.
constexpr int kDeletedPerMille = 5;
constexpr int kExtraPerMille = 3;     // of the source count, appended on the target
constexpr int kViolationPerMille = 5; // of the unsubscribed and cleaned contacts
constexpr int kFirstChangedPerMille = 4;
constexpr int kLastChangedPerMille = 3;
constexpr int kSmsChangedPerMille = 3;
constexpr int kCompanyChangedPerMille = 2;
constexpr int kEmailCasePercent = 3;
constexpr int kEmailSpacesPerMille = 2;
constexpr int kNameSpacePercent = 1;
constexpr int kCompanyCommaPercent = 2;
constexpr int kCompanyNewlinePerMille = 5;

const char *const kDomains[] = {"example.com", "example.org", "example.net"};
const char *const kDomainsUpper[] = {"EXAMPLE.COM", "Example.Org", "EXAMPLE.net"};

/** What the generator does with one person (index < contacts: a source contact; else an extra). */
struct Plan
{
    Contact c;
    int status = 0; // 0 subscribed, 1 unsubscribed, 2 cleaned (the Mailchimp file)
    bool deleted = false, violation = false, blocked = false;
    bool firstChanged = false, lastChanged = false, smsChanged = false, companyChanged = false;
    bool emailCase = false, emailSpaces = false, nameSpace = false;
    int companyKind = 0; // 0 plain, 1 with a comma, 2 over two lines
    int domain = 0;
    std::uint64_t d = 0;

    // The status is compared too (as its class: subscribed or not): a violation is a changed
    // record.
    bool anyChange() const
    {
        return firstChanged || lastChanged || smsChanged || companyChanged || violation;
    }
};

Plan plan(qint64 index, qint64 contacts, std::uint64_t seed)
{
    Plan p;
    p.c = Contact{index,
                  BenchContacts::mixBits(seed ^ (std::uint64_t(index) * 0xD1B54A32D192ED03ULL))};
    const std::uint64_t d = BenchContacts::mixBits(p.c.r);
    const std::uint64_t e = BenchContacts::mixBits(d);
    p.d = d;
    p.domain = int((e >> 60) % 3);
    p.emailCase = int((e >> 10) % 100) < kEmailCasePercent;
    p.emailSpaces = !p.emailCase && int((e >> 20) % 1000) < kEmailSpacesPerMille;
    p.nameSpace = int((e >> 30) % 100) < kNameSpacePercent;
    p.companyKind = int((e >> 40) % 100) < kCompanyCommaPercent       ? 1
                    : int((e >> 50) % 1000) < kCompanyNewlinePerMille ? 2
                                                                      : 0;
    if (index >= contacts) { // an extra on the target: one in ten blocklisted
        p.blocked = d % 10 == 0;
        return p;
    }
    const int s = int(d % 1000);
    p.status = s < 850 ? 0 : s < 950 ? 1 : 2;
    p.deleted = int((d >> 10) % 1000) < kDeletedPerMille;
    p.violation = !p.deleted && p.status != 0 && int((d >> 20) % 1000) < kViolationPerMille;
    p.blocked = p.status != 0 && !p.violation;
    // A violation keeps its fields, so that it stands alone (its status is what differs).
    if (!p.deleted && !p.violation) {
        p.firstChanged = int((d >> 30) % 1000) < kFirstChangedPerMille;
        p.lastChanged = int((d >> 40) % 1000) < kLastChangedPerMille;
        p.smsChanged = int((d >> 50) % 1000) < kSmsChangedPerMille;
        p.companyChanged = int(e % 1000) < kCompanyChangedPerMille;
    }
    return p;
}

QByteArray company(const Plan &p, bool target)
{
    QByteArray v = (target && p.companyChanged) ? "Contoso " : "Northwind ";
    v += p.c.last();
    if (p.companyKind == 1)
        v += ", Ltd.";
    else if (p.companyKind == 2)
        v += "\nLogistics";
    return v;
}

/** A file written through a 1 MB buffer. */
class Out
{
public:
    explicit Out(const QString &path)
        : m_file(path)
    {
        m_ok = m_file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    }
    bool ok() const { return m_ok; }
    QByteArray &buffer() { return m_buffer; }
    void lineDone()
    {
        m_buffer.append("\r\n", 2);
        if (m_buffer.size() > (1 << 20))
            flush();
    }
    qint64 close()
    {
        flush();
        m_file.close();
        return m_written;
    }

private:
    void flush()
    {
        if (m_file.write(m_buffer) != m_buffer.size())
            m_ok = false;
        m_written += m_buffer.size();
        m_buffer.clear();
    }
    QFile m_file;
    QByteArray m_buffer;
    qint64 m_written = 0;
    bool m_ok = false;
};

// Brevo's export: semicolon-separated; a value with a separator, quote, comma or line break quoted.
void field(QByteArray &out, const QByteArray &value, bool last = false)
{
    bool quote = false;
    for (const char ch : value)
        quote = quote || ch == ';' || ch == '"' || ch == ',' || ch == '\n' || ch == '\r';
    if (quote) {
        out += '"';
        for (const char ch : value) {
            if (ch == '"')
                out += '"';
            out += ch;
        }
        out += '"';
    } else {
        out += value;
    }
    if (!last)
        out += ';';
}

void writeSourceRow(Out &out, const Plan &p)
{
    char email[96];
    char line[1024];
    std::snprintf(email, sizeof email, "user%lld@%s", p.c.index, kDomains[p.domain]);
    int n
        = BenchContacts::mailchimpRow(line, sizeof line, p.c, email, company(p, false).constData());
    n += std::snprintf(line + n, sizeof line - size_t(n), "%s",
                       BenchContacts::mailchimpStatusColumns(p.status));
    out.buffer().append(line, n);
    out.lineDone();
}

void writeTargetRow(Out &out, const Plan &p, qint64 contacts)
{
    const Contact &c = p.c;
    char v[128];
    QByteArray &b = out.buffer();
    if (p.emailCase)
        std::snprintf(v, sizeof v, "User%lld@%s", c.index, kDomainsUpper[p.domain]);
    else if (p.emailSpaces)
        std::snprintf(v, sizeof v, " user%lld@%s ", c.index, kDomains[p.domain]);
    else
        std::snprintf(v, sizeof v, "user%lld@%s", c.index, kDomains[p.domain]);
    field(b, v);
    const int firstIndex = int(c.r % 20);
    const char *first = p.firstChanged
                            ? BenchContacts::kFirst[(firstIndex + 1 + int((p.d >> 5) % 19)) % 20]
                            : c.first();
    std::snprintf(v, sizeof v, "%s%s", first, p.nameSpace ? " " : "");
    field(b, v);
    field(b, p.lastChanged ? BenchContacts::kLast[(c.lastIndex() + 1 + int((p.d >> 15) % 17)) % 18]
                           : c.last());
    // Brevo keeps SMS numbers in E.164 form; the source writes them with spaces.
    std::snprintf(v, sizeof v, "+1555%03d%04d",
                  p.smsChanged ? (c.phoneExchange() + 1) % 1000 : c.phoneExchange(), c.phoneLine());
    field(b, v);
    field(b, company(p, true));
    // Address split the way FieldMapping splits it for Brevo (line 1, line 2, city, state, zip,
    // country).
    std::snprintf(v, sizeof v, "%lld Main St", c.street());
    field(b, v);
    std::snprintf(v, sizeof v, "Apt %d", c.apartment());
    field(b, v);
    // The city line is "City  State  Zip  Country", two spaces between parts (one inside "LS1
    // 4AP").
    const QByteArray cityLine(c.cityLine());
    qsizetype from = 0;
    for (int k = 0; k < 4; ++k) {
        const qsizetype at = k < 3 ? cityLine.indexOf("  ", from) : cityLine.size();
        field(b, cityLine.mid(from, at - from));
        from = at + 2;
    }
    std::snprintf(v, sizeof v, "2024-%02d-%02d 10:%02d:00", c.optinMonth(), c.optinDay(),
                  c.optinMinute());
    field(b, v);
    std::snprintf(v, sizeof v, "203.0.113.%d", c.optinIp());
    field(b, v);
    std::snprintf(v, sizeof v, "2024-%02d-%02d 10:%02d:30", c.optinMonth(), c.optinDay(),
                  c.optinMinute());
    field(b, v);
    std::snprintf(v, sizeof v, "203.0.113.%d", c.confirmIp());
    field(b, v);
    field(b, "US");
    field(b, "IL");
    std::snprintf(v, sizeof v, "%010llx", c.euid());
    field(b, c.index < contacts ? QByteArray(v) : QByteArray());
    std::snprintf(v, sizeof v, "2026-05-%02dT09:%02d:%02d.000Z", 4 + int(c.index % 20),
                  int(c.index % 60), int((c.index / 60) % 60));
    field(b, v);
    std::snprintf(v, sizeof v, "2026-06-01T10:%02d:%02d.000Z", int(c.index % 60),
                  int((c.index / 7) % 60));
    field(b, v);
    field(b, p.blocked ? "Yes" : "No");
    field(b, p.blocked ? "" : (std::strstr(c.tags(), "VIP") ? "2,7" : "2"), true);
    out.lineDone();
}

bool zipSource(const DiffPairFiles &files, QString &error)
{
    int err = 0;
    zip_t *za
        = zip_open(QFile::encodeName(files.sourceZip).constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!za) {
        error = QStringLiteral("cannot create %1 (libzip error %2)").arg(files.sourceZip).arg(err);
        return false;
    }
    for (const QString &csv : files.sourceCsvs) {
        zip_source_t *src = zip_source_file(za, QFile::encodeName(csv).constData(), 0, -1);
        const zip_int64_t idx
            = src ? zip_file_add(za, QFileInfo(csv).fileName().toUtf8().constData(), src,
                                 ZIP_FL_ENC_UTF_8)
                  : -1;
        if (idx < 0) {
            if (src)
                zip_source_free(src);
            error = QStringLiteral("cannot add %1 to the zip: %2")
                        .arg(csv, QString::fromUtf8(zip_strerror(za)));
            zip_discard(za);
            return false;
        }
        // Deflated as Mailchimp's export is; level 1 keeps the generator quick.
        zip_set_file_compression(za, zip_uint64_t(idx), ZIP_CM_DEFLATE, 1);
    }
    if (zip_close(za) != 0) {
        error = QStringLiteral("cannot write %1: %2")
                    .arg(files.sourceZip, QString::fromUtf8(zip_strerror(za)));
        zip_discard(za);
        return false;
    }
    return true;
}

} // namespace

bool DiffPair::write(const QString &dir, qint64 contacts, std::uint64_t seed, DiffPairFiles &files,
                     DiffExpectation &expected, QString &error)
{
    const QDir d(dir);
    files.sourceCsvs = {d.filePath(QStringLiteral("subscribed_members_export_bench.csv")),
                        d.filePath(QStringLiteral("unsubscribed_members_export_bench.csv")),
                        d.filePath(QStringLiteral("cleaned_members_export_bench.csv"))};
    files.sourceZip = d.filePath(QStringLiteral("mailchimp_audience_export_bench.zip"));
    files.target = d.filePath(QStringLiteral("brevo_contacts_export_bench.csv"));
    expected = DiffExpectation{};
    for (const MappedField &f : kChangedFields)
        expected.changedByField.insert(QString::fromLatin1(f.target), 0);
    expected.changedByField.insert(QStringLiteral("status"), 0);

    // The source, in index order, each contact in the file of its status.
    {
        Out sources[]
            = {Out(files.sourceCsvs[0]), Out(files.sourceCsvs[1]), Out(files.sourceCsvs[2])};
        for (int k = 0; k < 3; ++k)
            sources[k].buffer() = BenchContacts::mailchimpHeader(k);
        for (qint64 i = 0; i < contacts; ++i) {
            const Plan p = plan(i, contacts, seed);
            writeSourceRow(sources[p.status], p);
        }
        files.sourceCsvBytes = 0;
        for (Out &o : sources) {
            files.sourceCsvBytes += o.close();
            if (!o.ok()) {
                error = QStringLiteral("cannot write the source CSVs in %1").arg(dir);
                return false;
            }
        }
    }
    if (!zipSource(files, error))
        return false;
    files.sourceZipBytes = QFileInfo(files.sourceZip).size();

    // The target: every contact not deleted plus the extras, in an order unrelated to the source's
    // (index = a * j + c mod total, a coprime to total: a permutation computed row by row).
    const qint64 extras = qMax<qint64>(1, contacts * kExtraPerMille / 1000);
    const qint64 total = contacts + extras;
    qint64 a = qMax<qint64>(1, qint64(double(total) * 0.6180339887) | 1);
    while (std::gcd(a, total) != 1)
        a += 2;
    const qint64 c = qint64(seed % std::uint64_t(total));
    Out target(files.target);
    target.buffer()
        = "EMAIL;FIRSTNAME;LASTNAME;SMS;COMPANY;ADDRESS_LINE_1;ADDRESS_LINE_2;ADDRESS_CITY;"
          "ADDRESS_STATE;ADDRESS_ZIP;ADDRESS_COUNTRY;OPTIN_TIME;OPTIN_IP;CONFIRM_TIME;CONFIRM_IP;"
          "CC;REGION;EXT_ID;ADDED_TIME;MODIFIED_TIME;EMAIL_BLACKLISTED;_listIds\r\n";
    expected.sourceRecords = contacts;
    expected.extra = extras;
    for (qint64 j = 0; j < total; ++j) {
        // a and j are below total (a few million), so a * j fits in 64 bits.
        const qint64 i = qint64((std::uint64_t(a) * std::uint64_t(j) + std::uint64_t(c))
                                % std::uint64_t(total));
        const Plan p = plan(i, contacts, seed);
        if (p.deleted) {
            ++expected.missing;
            continue;
        }
        ++expected.targetRecords;
        writeTargetRow(target, p, contacts);
        expected.quotedWithComma += p.companyKind == 1 ? 1 : 0;
        expected.quotedWithNewline += p.companyKind == 2 ? 1 : 0;
        if (i >= contacts)
            continue;
        expected.emailCaseOnly += p.emailCase;
        expected.emailSpaces += p.emailSpaces;
        expected.nameTrailingSpace += p.nameSpace;
        expected.consentViolations += p.violation;
        if (p.anyChange())
            ++expected.changed;
        else
            ++expected.identical;
        expected.changedByField[QStringLiteral("FIRSTNAME")] += p.firstChanged;
        expected.changedByField[QStringLiteral("LASTNAME")] += p.lastChanged;
        expected.changedByField[QStringLiteral("SMS")] += p.smsChanged;
        expected.changedByField[QStringLiteral("COMPANY")] += p.companyChanged;
        expected.changedByField[QStringLiteral("status")] += p.violation;
    }
    files.targetBytes = target.close();
    if (!target.ok()) {
        error = QStringLiteral("cannot write %1").arg(files.target);
        return false;
    }
    return true;
}

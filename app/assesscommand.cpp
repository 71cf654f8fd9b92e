#include "assesscommand.h"
#include "commandline.h"

#include "assessment/assessor.h"
#include "assessment/risks.h"
#include "catalog/platformcatalog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

#include <cstdio>

namespace {

QString tr(const char *s) { return QCoreApplication::translate("AssessCommand", s); }

using CommandLine::fail;

QString csvField(QString s)
{
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n') || s.contains(u'\r'))
        return u'"' + s.replace(u'"', QStringLiteral("\"\"")) + u'"';
    return s;
}

void printText(QTextStream &out, const Inventory &inv, const QList<Risk> &risks)
{
    const QLocale c = QLocale::c();
    out << tr("Platform: %1").arg(ExportDialects::displayName(inv.dialect)) << '\n';
    for (const InventorySource &s : inv.sources)
        out << "  " << s.part << "  (" << c.toString(s.rows) << ' ' << tr("rows") << ", " << s.encoding << ", "
            << (s.statusSource.isEmpty() ? tr("status unknown") : tr("status from %1").arg(s.statusSource)) << ")\n";
    out << tr("Contacts: %1").arg(inv.total) << '\n';
    for (const ContactStatus s : kAllContactStatuses) {
        if (inv.count(s))
            out << "  " << ContactStatuses::key(s) << ": " << inv.count(s) << '\n';
    }
    out << tr("Duplicates: %1").arg(inv.duplicates) << '\n';
    out << tr("Invalid addresses: %1").arg(inv.invalidEmails) << '\n';
    out << tr("Fields: %1").arg(inv.fields.size()) << '\n';
    for (const InventoryField &f : inv.fields)
        out << "  " << f.name << " [" << FieldTypes::key(f.type) << (f.custom ? "" : ", platform") << "] "
            << tr("filled %1").arg(f.filled) << '\n';
    out << tr("Tags: %1").arg(inv.tags.size()) << '\n';
    for (const InventoryTag &t : inv.tags)
        out << "  " << t.name << ": " << t.count << '\n';
    if (inv.consent.available)
        out << tr("Subscribers with consent evidence: %1 of %2").arg(inv.consent.subscribedWithEvidence).arg(inv.consent.subscribed) << '\n';
    out << tr("Risks: %1").arg(risks.size()) << '\n';
    for (const Risk &r : risks)
        out << "  [" << Risk::severityKey(r.severity) << "] " << r.title << ": " << r.reason << '\n';
}

} // namespace

int runAssessCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Assess email-platform export files (zip or CSV) and print their inventory."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("assess"), tr("The sub-command."));
    parser.addPositionalArgument(QStringLiteral("files"), tr("Export files: zips or CSVs."), tr("FILE..."));
    const QCommandLineOption json(QStringLiteral("json"), tr("Print one JSON object instead of text."));
    const QCommandLineOption target(QStringLiteral("target"), tr("Check the limits of this target platform."),
                                    QStringLiteral("brevo|klaviyo|mailchimp"));
    const QCommandLineOption list(QStringLiteral("list"), tr("Print the duplicates or the invalid addresses as CSV."),
                                  QStringLiteral("duplicates|invalid"));
    parser.addOptions({json, target, list});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), 2);
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList files = parser.positionalArguments().mid(1);
    if (files.isEmpty())
        return fail(tr("assess needs at least one export file. Usage: stagecoach assess FILE... [--json]"), 2);
    const QString listKind = parser.value(list);
    if (parser.isSet(list) && listKind != u"duplicates" && listKind != u"invalid")
        return fail(tr("--list takes \"duplicates\" or \"invalid\"."), 2);

    Result<PlatformCatalog> catalog = PlatformCatalog::load(QStringLiteral(":/catalog/platforms.json"));
    if (!catalog)
        return fail(catalog.error().toString());
    const Platform *platform = nullptr;
    if (parser.isSet(target)) {
        platform = catalog->find(parser.value(target));
        if (!platform)
            return fail(tr("unknown target \"%1\"; use brevo, klaviyo or mailchimp.").arg(parser.value(target)), 2);
    }

    const AssessmentOutcome outcome = Assessor::assess(files);
    if (outcome.error)
        return fail(outcome.error->toString());
    if (!outcome.inventory)
        return fail(tr("the assessment stopped."));
    const Inventory &inv = *outcome.inventory;

    QTextStream out(stdout);
    out.setEncoding(QStringConverter::Utf8);
    if (parser.isSet(list)) {
        const Finding::Kind kind = listKind == u"duplicates" ? Finding::Duplicate : Finding::InvalidEmail;
        out << "address,file,line,detail\n";
        for (const Finding &f : inv.findings) {
            if (f.kind == kind)
                out << csvField(f.address) << ',' << csvField(f.source) << ',' << f.line << ',' << csvField(f.detail) << '\n';
        }
        return 0;
    }
    const QList<Risk> risks = RiskAssessment::evaluate(inv, {}, platform);
    if (parser.isSet(json)) {
        QJsonObject object = inv.toJson();
        object.insert(QStringLiteral("risks"), RiskAssessment::toJson(risks));
        out << QJsonDocument(object).toJson(QJsonDocument::Indented);
    } else {
        printText(out, inv, risks);
    }
    return 0;
}

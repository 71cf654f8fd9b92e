#include "dialogs/exportactions.h"

#include "dialogs/prompts.h"
#include "plan/plancontroller.h"
#include "reports/checklistexport.h"
#include "reports/plandocument.h"
#include "reports/planpdfwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

QString ExportActions::exportChecklist(QWidget *parent, PlanController *plan, const QString &format)
{
    const QString title = QCoreApplication::translate("ExportActions", "Export Checklist");
    Result<PlanDocument> doc = plan->document();
    if (!doc) {
        Prompts::instance().showError(parent, title, doc.error());
        return {};
    }
    QString filter;
    if (format == u"pdf")
        filter = QCoreApplication::translate("ExportActions", "PDF documents (*.pdf)");
    else if (format == u"csv")
        filter = QCoreApplication::translate("ExportActions", "CSV files (*.csv)");
    else if (format == u"md")
        filter = QCoreApplication::translate("ExportActions", "Markdown files (*.md)");
    else
        filter = QCoreApplication::translate("ExportActions", "iCalendar files (*.ics)");
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = QCoreApplication::translate("ExportActions", "%1 - checklist").arg(doc->projectName) + u'.' + format;
    const QString path = Prompts::instance().saveFilePath(parent, title, QDir(folder).filePath(name), filter);
    if (path.isEmpty())
        return {};
    Status s;
    if (format == u"pdf")
        s = PlanPdfWriter::writeChecklist(doc.value(), path);
    else if (format == u"csv")
        s = ChecklistExport::writeCsv(path, doc->checklist);
    else if (format == u"md")
        s = ChecklistExport::writeMarkdown(path, doc->projectName, doc->timeline, doc->checklist);
    else
        s = ChecklistExport::writeIcs(path, doc->projectName, doc->timeline, doc->checklist);
    if (!s) {
        Prompts::instance().showError(parent, title, s.error());
        return {};
    }
    return path;
}

#include "dialogs/exportactions.h"

#include "core/jobpool.h"
#include "dialogs/prompts.h"
#include "plan/plancontroller.h"
#include "reports/checklistexport.h"
#include "reports/plandocument.h"
#include "reports/planpdfwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QWidget>
#include <QtConcurrent>

void ExportActions::exportChecklist(QWidget *parent, PlanController *plan, const QString &format,
                                    std::function<void(const QString &path)> onSaved)
{
    const QString title = QCoreApplication::translate("ExportActions", "Export Checklist");
    Result<PlanDocument> doc = plan->document();
    if (!doc) {
        Prompts::instance().showError(parent, title, doc.error());
        return;
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
        return;

    // Laying out a long checklist as PDF takes a moment: every format is written off the GUI thread.
    auto *watcher = new QFutureWatcher<Status>(parent);
    QObject::connect(watcher, &QFutureWatcher<Status>::finished, parent, [watcher, parent, title, path, onSaved] {
        const Status s = watcher->result();
        watcher->deleteLater();
        if (!s)
            Prompts::instance().showError(parent, title, s.error());
        else if (onSaved)
            onSaved(path);
    });
    watcher->setFuture(QtConcurrent::run(jobPool(), [document = std::move(doc).value(), format, path]() -> Status {
        if (format == u"pdf")
            return PlanPdfWriter::writeChecklist(document, path);
        if (format == u"csv")
            return ChecklistExport::writeCsv(path, document.checklist);
        if (format == u"md")
            return ChecklistExport::writeMarkdown(path, document.projectName, document.timeline, document.checklist);
        return ChecklistExport::writeIcs(path, document.projectName, document.timeline, document.checklist);
    }));
}

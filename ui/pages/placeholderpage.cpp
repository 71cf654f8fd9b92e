#include "pages/placeholderpage.h"

#include <QLabel>
#include <QVBoxLayout>

PlaceholderPage::PlaceholderPage(const MigrationStep &step, QWidget *parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("page_") + step.key);
    setTitle(step.title);
    setSubTitle(step.summary);

    auto *layout = new QVBoxLayout(this);
    auto *notice = new QLabel(tr("<b>Not available yet.</b> This step arrives in a later release of "
                                 "Stagecoach; nothing on this page does anything yet."),
                              this);
    notice->setObjectName(QStringLiteral("placeholderNotice"));
    notice->setWordWrap(true);
    notice->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; border: 1px solid #e0c068; "
                                         "border-radius: 4px; padding: 8px; color: #4a3b00; }"));
    layout->addWidget(notice);

    if (!step.holds.isEmpty()) {
        QString html = tr("<p>When it arrives, this step will hold:</p><ul>");
        for (const QString &item : step.holds)
            html += QStringLiteral("<li>%1</li>").arg(item.toHtmlEscaped());
        html += QStringLiteral("</ul>");
        auto *holds = new QLabel(html, this);
        holds->setObjectName(QStringLiteral("placeholderHolds"));
        holds->setWordWrap(true);
        holds->setTextFormat(Qt::RichText);
        layout->addWidget(holds);
    }
    layout->addStretch();
}

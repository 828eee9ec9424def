<#import "template.ftl" as layout>
<#--
  entra-pbx customer onboarding (entra-onboarding): the invitation page a customer's Microsoft 365
  admin opens, the pages after Microsoft's admin consent, and the result with the first sync's
  progress. `onboarding` is built by the module; every value is text (escaped here).
-->
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${onboarding.title}
    <#elseif section = "form">
        <div id="onboarding-${onboarding.id}" class="entrapbx-onboarding">
            <#if (onboarding.refresh > 0)>
                <meta http-equiv="refresh" content="${onboarding.refresh}">
            </#if>
            <p id="onboarding-intro">${onboarding.intro}</p>
            <#if onboarding.facts?has_content>
                <dl id="onboarding-facts" class="entrapbx-onboarding-facts">
                    <#list onboarding.facts as f>
                        <dt>${f.label}</dt>
                        <dd>${f.value}</dd>
                    </#list>
                </dl>
            </#if>
            <#if onboarding.items?has_content>
                <p>${onboarding.itemsTitle}</p>
                <ul id="onboarding-items">
                    <#list onboarding.items as item>
                        <li>${item}</li>
                    </#list>
                </ul>
            </#if>
            <#if onboarding.action?has_content>
                <form id="onboarding-form" method="post" action="${onboarding.action}">
                    <button id="onboarding-continue" type="submit"
                            class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">${onboarding.actionLabel}</button>
                </form>
            </#if>
            <#if onboarding.link?has_content>
                <p><a id="onboarding-link" href="${onboarding.link}">${onboarding.linkLabel}</a></p>
            </#if>
            <#if onboarding.note?has_content>
                <p id="onboarding-note" class="entrapbx-onboarding-note">${onboarding.note}</p>
            </#if>
        </div>
    </#if>
</@layout.registrationLayout>

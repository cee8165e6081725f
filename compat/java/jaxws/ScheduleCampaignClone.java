// scheduleCampaign with cloneToProgramName as Marketo's Java sample wrote it: the clone name through
// the plain setCloneToProgramName(String) (the element is optional and not nillable, so wsimport
// makes it a String), campaignRunAt and programTokenList through ObjectFactory's JAXBElements.
// Only stubs of a WSDL that has the element (3_1) compile this class; Driver loads it by name.
import com.marketo.mktows.*;
import java.util.GregorianCalendar;
import javax.xml.datatype.DatatypeFactory;

public class ScheduleCampaignClone {
  public static void run() throws Exception {
    ObjectFactory of = Driver.of;
    // Unique per run, so that a re-run against a running server (--url) is not a name taken.
    String clone = "Compat Clone " + Long.toString(System.currentTimeMillis(), 36);

    ParamsScheduleCampaign request = of.createParamsScheduleCampaign();
    request.setProgramName("Demo Program");
    request.setCampaignName("Nightly");
    request.setCloneToProgramName(clone);
    GregorianCalendar at = new GregorianCalendar();
    at.add(GregorianCalendar.DAY_OF_MONTH, 1);
    request.setCampaignRunAt(
        of.createParamsScheduleCampaignCampaignRunAt(DatatypeFactory.newInstance().newXMLGregorianCalendar(at)));
    Attrib token = of.createAttrib();
    token.setName("{{my.message}}");
    token.setValue("Updated message");
    ArrayOfAttrib tokens = of.createArrayOfAttrib();
    tokens.getAttrib().add(token);
    request.setProgramTokenList(of.createParamsScheduleCampaignProgramTokenList(tokens));
    Driver.check(Driver.port.scheduleCampaign(request, Driver.auth(Driver.KEY)).getResult().isSuccess(), "success true");

    // The copy exists: getMObjects finds the program by its name...
    MObjCriteria byName = of.createMObjCriteria();
    byName.setAttrName("Name");
    byName.setComparison(ComparisonEnum.EQ);
    byName.setAttrValue(clone);
    ArrayOfMObjCriteria criteria = of.createArrayOfMObjCriteria();
    criteria.getMObjCriteria().add(byName);
    ParamsGetMObjects get = of.createParamsGetMObjects();
    get.setType("Program");
    get.setMObjCriteriaList(criteria);
    ResultGetMObjects programs = Driver.port.getMObjects(get, Driver.auth(Driver.KEY)).getResult();
    Driver.check(programs.getReturnCount() == 1, "one program named " + clone + ", got " + programs.getReturnCount());
    String name = null;
    for (Attrib a : programs.getMObjectList().getMObject().get(0).getAttribList().getAttrib())
      if ("Name".equals(a.getName())) name = a.getValue();
    Driver.check(clone.equals(name), "the program's Name is " + clone + ", got " + name);

    // ...and its trigger campaign is requestable like the original's.
    ParamsGetCampaignsForSource source = of.createParamsGetCampaignsForSource();
    source.setSource(ReqCampSourceType.MKTOWS);
    source.setName(of.createParamsGetCampaignsForSourceName(clone + ".Welcome"));
    source.setExactName(of.createParamsGetCampaignsForSourceExactName(true));
    ResultGetCampaignsForSource campaigns = Driver.port.getCampaignsForSource(source, Driver.auth(Driver.KEY)).getResult();
    Driver.check(campaigns.getReturnCount() == 1, "the copy's campaign " + clone + ".Welcome");
  }
}
